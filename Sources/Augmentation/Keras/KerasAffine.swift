/// Internal: lets the Keras parity tests run fixtures of any axis order (the library renders HWC).
/// The axes of a 3-D array holding one image, as Keras's `row_axis`, `col_axis`, `channel_axis`.
struct ImageAxes: Sendable, Equatable {
    var row: Int, column: Int, channel: Int

    init(row: Int, column: Int, channel: Int) {
        self.row = row
        self.column = column
        self.channel = channel
    }

    static let hwc = ImageAxes(row: 0, column: 1, channel: 2)
    static let chw = ImageAxes(row: 1, column: 2, channel: 0)
    /// `row_axis = 1, col_axis = 0`: a transposed image, channels last.
    static let whc = ImageAxes(row: 1, column: 0, channel: 2)

    /// Element strides (row, column, channel) of a C-order array of `shape`.
    func strides(_ shape: [Int]) -> (row: Int, column: Int, channel: Int) {
        let s = [shape[1] * shape[2], shape[2], 1]
        return (s[row], s[column], s[channel])
    }
}

/// Keras's `apply_affine_transform` on a 3-D array of any axis order, reproduced exactly
/// (``KerasGeometry`` + `KerasSampling`, the code the ``Augmenter`` uses in `.keras` mode).
enum KerasAffine {
    struct StridedSource<Element>: KerasPixelSource {
        let base: UnsafeBufferPointer<Element>
        let rows: Int, columns: Int, channels: Int
        let rowStride: Int, columnStride: Int, channelStride: Int
        let convert: (Element) -> Double

        @inline(__always)
        func value(row: Int, column: Int, channel: Int) -> Double {
            convert(base[row * rowStride + column * columnStride + channel * channelStride])
        }
    }

    /// Warps a Float32 array of `shape` (3 entries) laid out with `axes`.
    /// Returns an array of the same shape; the identity transform returns the input untouched.
    static func apply(_ input: [Float], shape: [Int], axes: ImageAxes, transform: Transform,
                             fill: FillMode = .nearest, cval: Double = 0,
                             order: InterpolationOrder = .bilinear) -> [Float] {
        warp(input, shape: shape, axes: axes, transform: transform, fill: fill, cval: cval, order: order,
             convert: { Double($0) }, back: { Float($0) })
    }

    /// The UInt8-in, UInt8-out form (scipy casts back with round-half-up and clipping).
    static func apply(_ input: [UInt8], shape: [Int], axes: ImageAxes, transform: Transform,
                             fill: FillMode = .nearest, cval: Double = 0,
                             order: InterpolationOrder = .bilinear) -> [UInt8] {
        warp(input, shape: shape, axes: axes, transform: transform, fill: fill, cval: cval, order: order,
             convert: { Double($0) }, back: { UInt8(min(max(($0 + 0.5).rounded(.down), 0), 255)) })
    }

    static func warp<E>(_ input: [E], shape: [Int], axes: ImageAxes, transform: Transform, fill: FillMode,
                        cval: Double, order: InterpolationOrder,
                        convert: @escaping (E) -> Double, back: (Double) -> E) -> [E] {
        precondition(shape.count == 3 && shape.reduce(1, *) == input.count, "shape does not match the array")
        let rows = shape[axes.row], columns = shape[axes.column], channels = shape[axes.channel]
        let geometry = KerasGeometry(transform, rows: rows, columns: columns)
        if geometry.isIdentity { return input }
        let strides = axes.strides(shape)
        let sampling = KerasSampling(fill: fill, order: order, cval: cval)
        var output = input
        input.withUnsafeBufferPointer { base in
            let source = StridedSource(base: base, rows: rows, columns: columns, channels: channels,
                                       rowStride: strides.row, columnStride: strides.column,
                                       channelStride: strides.channel, convert: convert)
            for r in 0..<rows {
                for c in 0..<columns {
                    let (sr, sc) = geometry.source(row: r, column: c)
                    let at = r * strides.row + c * strides.column
                    sampling.sample(source, row: sr, column: sc) { ch, v in
                        output[at + ch * strides.channel] = back(v)
                    }
                }
            }
        }
        return output
    }
}
