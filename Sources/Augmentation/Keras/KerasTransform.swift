/// Keras's `ImageDataGenerator.apply_transform` on a Float32 array of any axis order:
/// affine warp, channel shift (clipped to the warped image's min/max), horizontal then vertical
/// flip, brightness (8-bit PIL round trip, `scale=False`).
enum KerasTransform {
    /// The stages Keras passes through, kept for debugging and parity tests.
    struct Stages: Sendable, Equatable {
        /// After the affine warp.
        var affine: [Float]
        /// After channel shift and flips, before brightness.
        var preBrightness: [Float]
        /// The result.
        var output: [Float]
    }

    /// Runs `apply_transform(x, transform)` with the generator's fill mode, cval and order.
    static func apply(_ x: [Float], shape: [Int], axes: ImageAxes, transform t: Transform,
                             fill: FillMode, cval: Double, order: InterpolationOrder) -> Stages {
        let affine = KerasAffine.apply(x, shape: shape, axes: axes, transform: t, fill: fill, cval: cval, order: order)
        var y = affine
        if let intensity = t.channelShiftIntensity {
            y.withUnsafeMutableBufferPointer { KerasColor.channelShift($0, intensity: intensity) }
        }
        if t.flipHorizontal { y = flip(y, shape: shape, axis: axes.column) }
        if t.flipVertical { y = flip(y, shape: shape, axis: axes.row) }
        let preBrightness = y
        if let b = t.brightness {
            let channels = shape[axes.channel]
            let layout: PixelLayout = axes.channel == 0 ? .chw : .hwc
            y.withUnsafeMutableBufferPointer {
                KerasColor.brightness($0, channels: channels, factor: b, scale: false, layout: layout)
            }
        }
        return Stages(affine: affine, preBrightness: preBrightness, output: y)
    }

    /// Reverses `axis` of a C-order 3-D array (Keras `flip_axis`).
    static func flip(_ x: [Float], shape: [Int], axis: Int) -> [Float] {
        let strides = [shape[1] * shape[2], shape[2], 1]
        var out = x
        for i in 0..<shape[0] {
            for j in 0..<shape[1] {
                for k in 0..<shape[2] {
                    var index = [i, j, k]
                    let from = i * strides[0] + j * strides[1] + k * strides[2]
                    index[axis] = shape[axis] - 1 - index[axis]
                    out[index[0] * strides[0] + index[1] * strides[1] + index[2] * strides[2]] = x[from]
                }
            }
        }
        return out
    }
}
