import CAugmentKernels

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
/// through the 3×3 matrix, contrast through the offset `(1 − f)·mean`); runs of them go to
/// `aug_color_affine` (C, plane-wise in blocks). A contrast step needs the grayscale mean of the
/// image just before it, so the steps run in segments that each end before a contrast or a hue
/// step: one pass per segment, each summing the grayscale of what it wrote for the next (a
/// contrast that comes first takes one reading pass). Hue runs per pixel in Swift.
/// - Complexity: O(pixels · steps); at most one pass per contrast or hue step, plus one.
enum ColorPass {
    /// The affine form `v' = M·v + o` of a step (all but hue), as 10 Floats: `M` row-major, `o`.
    static func affine(_ step: ColorStep, three: Bool, mean: Float) -> [Float] {
        let (wr, wg, wb) = (ColorStep.weights[0], ColorStep.weights[1], ColorStep.weights[2])
        func blend(_ f: Float) -> [Float] {
            // f·v + (1 − f)·gray(v); one channel is its own gray.
            guard three else { return [1, 0, 0, 0, 1, 0, 0, 0, 1, 0] }
            let k = 1 - f
            return [f + k * wr, k * wg, k * wb, k * wr, f + k * wg, k * wb, k * wr, k * wg, f + k * wb, 0]
        }
        switch step {
        case .brightness(let f): return [f, 0, 0, 0, f, 0, 0, 0, f, 0]
        case .contrast(let f): return [f, 0, 0, 0, f, 0, 0, 0, f, (1 - f) * mean]
        case .saturation(let f): return blend(f)
        case .grayscale: return blend(0)
        case .hue: return [1, 0, 0, 0, 1, 0, 0, 0, 1, 0]
        }
    }

    /// The number of leading steps that form the first segment: the steps before the first
    /// contrast or hue step (``RowWarp`` fuses them into the warp).
    static func leadingSegment(_ steps: [ColorStep]) -> Int {
        steps.firstIndex { isContrast($0) || isHue($0) } ?? steps.count
    }

    /// A three-channel (or one-channel) Float image in memory: pixel `p`, channel `c` at
    /// `base[p · pixelStride + c · channelStride]`.
    struct Planes {
        var base: UnsafeMutablePointer<Float>
        var pixelStride: Int, channelStride: Int
    }

    /// Runs `steps[first...]` on the sample; `mean` is the grayscale mean of the sample as it is
    /// (after `steps[..<first]`, which the caller ran), or nil to compute it when a contrast step
    /// comes first. With `source`, the steps read the pixels there (and the steps before the last
    /// write there) and the last writes the sample.
    static func apply(_ steps: [ColorStep], from first: Int = 0, mean known: Float? = nil, source: Planes? = nil,
                      to sample: UnsafeMutableBufferPointer<Float>, pixels: Int, channels: Int,
                      pixelStride: Int, channelStride: Int, scale: SIMD4<Float>, bias: SIMD4<Float>) {
        let output = Planes(base: sample.baseAddress!, pixelStride: pixelStride, channelStride: channelStride)
        let input = source ?? output
        let three = channels >= 3
        let weights: [Float] = three ? [ColorStep.weights[0], ColorStep.weights[1], ColorStep.weights[2]] : [1, 0, 0]
        let scales = [scale[0], scale[1], scale[2]], biases = [bias[0], bias[1], bias[2]]
        var mean: Float = known ?? 0
        if known == nil, first < steps.count, case .contrast = steps[first] {
            mean = Float(aug_color_affine(input.base, pixels, input.pixelStride, input.channelStride, three ? 1 : 0,
                                          [1, 0, 0, 0, 1, 0, 0, 0, 1, 0], 1, nil, nil, weights) / Double(pixels))
        }
        var start = first
        while start < steps.count {
            if case .hue(let f) = steps[start] {
                let last = start + 1 == steps.count
                let target = last ? output : input
                var sum: Double = 0
                for p in 0..<pixels {
                    let q = input.base + p * input.pixelStride, w = target.base + p * target.pixelStride
                    var v = three ? ColorStep.turnHue(SIMD4(q[0], q[input.channelStride], q[2 * input.channelStride], 0), by: f)
                        : SIMD4(q[0], 0, 0, 0)
                    if last { v = v * scale + bias } else { sum += Double(weights[0] * v[0] + weights[1] * v[1] + weights[2] * v[2]) }
                    w[0] = v[0]
                    if three {
                        w[target.channelStride] = v[1]
                        w[2 * target.channelStride] = v[2]
                    }
                }
                mean = Float(sum / Double(pixels))
                start += 1
                continue
            }
            var end = start + 1
            while end < steps.count, !isContrast(steps[end]), !isHue(steps[end]) { end += 1 }
            let last = end == steps.count
            let target = last ? output : input
            let program = steps[start..<end].flatMap { affine($0, three: three, mean: mean) }
            let sum = aug_color_affine_to(input.base, pixels, input.pixelStride, input.channelStride, three ? 1 : 0,
                                          program, Int32(end - start), last ? scales : nil, last ? biases : nil,
                                          weights, target.base, target.pixelStride, target.channelStride)
            mean = Float(sum / Double(pixels))
            start = end
        }
    }

    static func isContrast(_ step: ColorStep) -> Bool {
        if case .contrast = step { return true }
        return false
    }

    static func isHue(_ step: ColorStep) -> Bool {
        if case .hue = step { return true }
        return false
    }
}
