/// One of torchvision's colour functions on pixel values 0…255, clamped to 0…255 after it
/// (torchvision's `_blend` clamps each step to the image's range).
public enum ColorStep: Sendable, Equatable {
    /// `v · factor`.
    case brightness(Float)
    /// `factor · v + (1 − factor) · mean(gray(image))`.
    case contrast(Float)
    /// `factor · v + (1 − factor) · gray(v)`.
    case saturation(Float)
    /// The HSV hue turned by `factor` (of a full turn).
    case hue(Float)
    /// `gray(v)` in every channel.
    case grayscale

    /// torchvision's `rgb_to_grayscale` weights.
    static let weights = SIMD4<Float>(0.2989, 0.587, 0.114, 0)

    @inline(__always)
    static func gray(_ v: SIMD4<Float>) -> Float { (v * weights).sum() }

    /// torchvision's `_rgb_to_hsv`, hue + `factor` modulo 1, `_hsv_to_rgb`, on 0…1 values.
    static func turnHue(_ pixel: SIMD4<Float>, by factor: Float) -> SIMD4<Float> {
        let r = pixel[0] / 255, g = pixel[1] / 255, b = pixel[2] / 255
        let maxc = max(r, g, b), minc = min(r, g, b)
        let equal = maxc == minc
        let range = maxc - minc
        let s = range / (equal ? 1 : maxc)
        let divisor = equal ? 1 : range
        let rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor
        var h: Float
        if maxc == r {
            h = bc - gc
        } else if maxc == g {
            h = 2 + rc - bc
        } else {
            h = 4 + gc - rc
        }
        h = (h / 6 + 1).truncatingRemainder(dividingBy: 1)
        h = (h + factor).truncatingRemainder(dividingBy: 1)
        if h < 0 { h += 1 }
        let v = maxc
        let h6 = h * 6
        let i = h6.rounded(.down)
        let f = h6 - i
        let p = min(max((1 - s) * v, 0), 1)
        let q = min(max((1 - s * f) * v, 0), 1)
        let t = min(max((s * f + 1 - s) * v, 0), 1)
        let rgb: (Float, Float, Float)
        switch ((Int(i) % 6) + 6) % 6 {
        case 0: rgb = (v, t, p)
        case 1: rgb = (q, v, p)
        case 2: rgb = (p, v, t)
        case 3: rgb = (p, q, v)
        case 4: rgb = (t, p, v)
        default: rgb = (v, p, q)
        }
        return SIMD4(rgb.0 * 255, rgb.1 * 255, rgb.2 * 255, 0)
    }
}

/// The colour pass of ``TransformKernel``: the steps in order on every pixel of a rendered
/// sample (0…255 Floats), then the normalisation.
///
/// Every step but hue is affine on the pixel, `M·v + o` (brightness, saturation and grayscale
/// through the 3×3 matrix, contrast through the offset `(1 − f)·mean`), so each runs as three
/// multiply-adds of SIMD lanes and a clamp. A contrast step needs the grayscale mean of the
/// image just before it, so the steps run in segments that each end before a contrast: one pass
/// per segment, each summing the grayscale of what it wrote for the next (a contrast that comes
/// first takes one reading pass). Without contrast the whole pass is one sweep.
/// - Complexity: O(pixels · steps); at most one pass per contrast step, plus one.
enum ColorPass {
    /// A step ready to run: `v' = clamp(c0·v.x + c1·v.y + c2·v.z + offset)`, or a hue turn.
    struct Compiled {
        var c0, c1, c2, offset: SIMD4<Float>
        var hue: Float?
    }

    static func compile(_ step: ColorStep, channels: Int, mean: Float) -> Compiled {
        let x = SIMD4<Float>(1, 0, 0, 0), y = SIMD4<Float>(0, 1, 0, 0), z = SIMD4<Float>(0, 0, 1, 0)
        let w = ColorStep.weights
        let gray = channels == 3 ? (SIMD4<Float>(repeating: w[0]), SIMD4<Float>(repeating: w[1]), SIMD4<Float>(repeating: w[2]))
            : (x, y, z)
        switch step {
        case .brightness(let f):
            return Compiled(c0: x * f, c1: y * f, c2: z * f, offset: .zero)
        case .contrast(let f):
            return Compiled(c0: x * f, c1: y * f, c2: z * f, offset: SIMD4(repeating: (1 - f) * mean))
        case .saturation(let f):
            return Compiled(c0: x * f + gray.0 * (1 - f), c1: y * f + gray.1 * (1 - f), c2: z * f + gray.2 * (1 - f),
                            offset: .zero)
        case .grayscale:
            return Compiled(c0: gray.0, c1: gray.1, c2: gray.2, offset: .zero)
        case .hue(let f):
            return Compiled(c0: x, c1: y, c2: z, offset: .zero, hue: channels == 3 ? f : nil)
        }
    }

    static func apply(_ steps: [ColorStep], to sample: UnsafeMutableBufferPointer<Float>, pixels: Int, channels: Int,
                      pixelStride: Int, channelStride: Int, scale: SIMD4<Float>, bias: SIMD4<Float>) {
        let base = sample.baseAddress!
        let lanes = min(channels, 3)
        @inline(__always) func load(_ p: Int) -> SIMD4<Float> {
            let q = base + p * pixelStride
            return lanes == 3 ? SIMD4(q[0], q[channelStride], q[2 * channelStride], 0) : SIMD4(q[0], 0, 0, 0)
        }
        @inline(__always) func store(_ v: SIMD4<Float>, _ p: Int) {
            let q = base + p * pixelStride
            q[0] = v[0]
            if lanes == 3 {
                q[channelStride] = v[1]
                q[2 * channelStride] = v[2]
            }
        }
        let grayWeights = lanes == 3 ? ColorStep.weights : SIMD4<Float>(1, 0, 0, 0)
        var mean: Float = 0
        if case .contrast = steps.first {
            var sum: Double = 0
            for p in 0..<pixels { sum += Double((load(p) * grayWeights).sum()) }
            mean = Float(sum / Double(pixels))
        }
        let low = SIMD4<Float>.zero, high = SIMD4<Float>(repeating: 255)
        var start = 0
        while start < steps.count {
            var end = start + 1
            while end < steps.count, !isContrast(steps[end]) { end += 1 }
            let last = end == steps.count
            let compiled = steps[start..<end].map { compile($0, channels: lanes, mean: mean) }
            var sum: Double = 0
            compiled.withUnsafeBufferPointer { program in
                for p in 0..<pixels {
                    var v = load(p)
                    for step in program {
                        if let hue = step.hue {
                            v = ColorStep.turnHue(v, by: hue)
                        } else {
                            v = (step.c0 * v[0] + step.c1 * v[1] + step.c2 * v[2] + step.offset)
                                .clamped(lowerBound: low, upperBound: high)
                        }
                    }
                    if last {
                        v = v * scale + bias
                    } else {
                        sum += Double((v * grayWeights).sum())
                    }
                    store(v, p)
                }
            }
            mean = Float(sum / Double(pixels))
            start = end
        }
    }

    private static func isContrast(_ step: ColorStep) -> Bool {
        if case .contrast = step { return true }
        return false
    }
}
