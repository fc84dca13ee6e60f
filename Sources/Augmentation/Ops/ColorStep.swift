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

    /// The step on one pixel; `mean` is the grayscale mean of the image before it (contrast only).
    @inline(__always)
    func apply(_ v: SIMD4<Float>, channels: Int, mean: Float) -> SIMD4<Float> {
        let out: SIMD4<Float>
        switch self {
        case .brightness(let f):
            out = v * f
        case .contrast(let f):
            out = v * f + (1 - f) * mean
        case .saturation(let f):
            guard channels == 3 else { return v }
            out = v * f + (1 - f) * Self.gray(v)
        case .hue(let f):
            guard channels == 3 else { return v }
            out = Self.turnHue(v, by: f)
        case .grayscale:
            guard channels == 3 else { return v }
            return SIMD4(repeating: min(max(Self.gray(v), 0), 255))
        }
        return out.clamped(lowerBound: .zero, upperBound: SIMD4(repeating: 255))
    }

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
/// A contrast step needs the grayscale mean of the image as it is just before it, so the steps
/// run in segments that each end before a contrast: one pass per segment, each summing the
/// grayscale of what it wrote for the next (the first contrast, if it comes first, takes one
/// extra reading pass). Without contrast the whole pass is one sweep.
/// - Complexity: O(pixels · (steps + 1)) per segment; at most one pass per contrast step + 1.
enum ColorPass {
    static func apply(_ steps: [ColorStep], to sample: UnsafeMutableBufferPointer<Float>, pixels: Int, channels: Int,
                      pixelStride: Int, channelStride: Int, scale: SIMD4<Float>, bias: SIMD4<Float>) {
        let base = sample.baseAddress!
        @inline(__always) func load(_ p: Int) -> SIMD4<Float> {
            var v = SIMD4<Float>.zero
            for c in 0..<channels { v[c] = base[p * pixelStride + c * channelStride] }
            return v
        }
        @inline(__always) func store(_ v: SIMD4<Float>, _ p: Int) {
            for c in 0..<channels { base[p * pixelStride + c * channelStride] = v[c] }
        }
        @inline(__always) func grayOf(_ v: SIMD4<Float>) -> Float { channels == 3 ? ColorStep.gray(v) : v[0] }
        var mean: Float = 0
        if case .contrast = steps.first {
            var sum: Double = 0
            for p in 0..<pixels { sum += Double(grayOf(load(p))) }
            mean = Float(sum / Double(pixels))
        }
        var start = 0
        while start < steps.count {
            var end = start + 1
            while end < steps.count, !isContrast(steps[end]) { end += 1 }
            let last = end == steps.count
            let segment = steps[start..<end]
            var sum: Double = 0
            for p in 0..<pixels {
                var v = load(p)
                for step in segment { v = step.apply(v, channels: channels, mean: mean) }
                if last {
                    v = v * scale + bias
                } else {
                    sum += Double(grayOf(v))
                }
                store(v, p)
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
