import CAugmentKernels

/// The pixel stage of ``TransformKernel``: the sample's ``PixelOp``s in order on the rendered
/// Floats (clamped and rounded to uint8 values on entry), then the normalisation.
///
/// Pointwise ops (posterize, solarize, invert) run over every value at once; equalize,
/// autocontrast, sharpness and blur per channel plane (C, `pixel_ops.c`); colour steps after a
/// pixel op in Swift with torchvision's uint8 arithmetic.
/// - Complexity: O(pixels · channels) per op (blur: times its two kernel sizes).
enum PixelPass {
    static func apply(_ ops: [PixelOp], to sample: UnsafeMutableBufferPointer<Float>, width: Int, height: Int,
                      channels: Int, pixelStride: Int, channelStride: Int, scale: SIMD4<Float>, bias: SIMD4<Float>) {
        let base = sample.baseAddress!
        let pixels = width * height, count = pixels * channels
        aug_pixel_quantize(base, count)
        var scratch: [Float] = []
        for op in ops {
            switch op {
            case .posterize(let bits): aug_pixel_posterize(base, count, Int32(bits))
            case .solarize(let threshold): aug_pixel_solarize(base, count, Float(threshold))
            case .invert: aug_pixel_invert(base, count)
            case .equalize:
                for c in 0..<channels { aug_pixel_equalize(base + c * channelStride, pixels, pixelStride) }
            case .autocontrast:
                for c in 0..<channels { aug_pixel_autocontrast(base + c * channelStride, pixels, pixelStride) }
            case .sharpness(let factor):
                var integers = [Int32](repeating: 0, count: pixels + width)
                integers.withUnsafeMutableBufferPointer { s in
                    for c in 0..<channels {
                        aug_pixel_sharpness(base + c * channelStride, Int32(width), Int32(height), pixelStride,
                                            Float(1 - factor), s.baseAddress!)
                    }
                }
            case .gaussianBlur(let kw, let kh, let sx, let sy):
                if scratch.count < 2 * pixels { scratch = [Float](repeating: 0, count: 2 * pixels) }
                let kx = PixelOp.gaussianKernel(size: kw, sigma: sx), ky = PixelOp.gaussianKernel(size: kh, sigma: sy)
                scratch.withUnsafeMutableBufferPointer { s in
                    for c in 0..<channels {
                        aug_pixel_blur(base + c * channelStride, Int32(width), Int32(height), pixelStride, kx, Int32(kw),
                                       ky, Int32(kh), s.baseAddress!)
                    }
                }
            case .color(let step, let factor):
                color(step, factor: factor, base, pixels: pixels, three: channels >= 3, pixelStride: pixelStride, channelStride: channelStride)
            }
        }
        normalize(base, pixels: pixels, channels: channels, pixelStride: pixelStride, channelStride: channelStride,
                  scale: scale, bias: bias)
    }

    /// `v · scale + bias` per channel (nothing for the identity).
    static func normalize(_ base: UnsafeMutablePointer<Float>, pixels: Int, channels: Int, pixelStride: Int,
                          channelStride: Int, scale: SIMD4<Float>, bias: SIMD4<Float>) {
        guard scale != SIMD4(repeating: 1) || bias != SIMD4(repeating: 0) else { return }
        for p in 0..<pixels {
            for c in 0..<channels {
                let q = base + p * pixelStride + c * channelStride
                q.pointee = q.pointee * scale[c] + bias[c]
            }
        }
    }

    /// torchvision's uint8 colour functions: each result clamped to 0…255 and truncated (its
    /// `.to(uint8)`); grayscale as `floor(0.2989 r + 0.587 g + 0.114 b)`, the blends rounded once
    /// as PyTorch's vectorised `add(alpha=)` fuses them (``fused(_:_:_:)``), with the weights
    /// `Float(factor)` and `Float(1 − factor)` as PyTorch converts them.
    /// `a · b + c` rounded once to Float, through Double: exact there for the products of two
    /// Floats and pixel values that arise here, so it equals a fused multiply-add (which is a
    /// library call on the SSE2 baseline).
    @inline(__always)
    static func fused(_ a: Float, _ b: Float, _ c: Float) -> Float {
        Float(Double(a) * Double(b) + Double(c))
    }

    static func color(_ step: ColorStep, factor: Double, _ base: UnsafeMutablePointer<Float>, pixels: Int, three: Bool,
                      pixelStride: Int, channelStride: Int) {
        let channels = three ? 3 : 1
        func gray(_ q: UnsafeMutablePointer<Float>) -> Float {
            three ? Float(Int32(fused(0.114, q[2 * channelStride], fused(0.587, q[channelStride], q[0] * 0.2989)))) : q[0]
        }
        func store(_ q: UnsafeMutablePointer<Float>, _ c: Int, _ v: Float) {
            q[c * channelStride] = Float(Int32(min(max(v, 0), 255)))
        }
        let f = Float(factor), k = Float(1 - factor)
        var mean: Float = 0
        if case .contrast = step {
            var sum = 0
            for p in 0..<pixels { sum += Int(gray(base + p * pixelStride)) }
            mean = Float(sum) / Float(pixels)
        }
        for p in 0..<pixels {
            let q = base + p * pixelStride
            switch step {
            case .brightness:
                for c in 0..<channels { store(q, c, q[c * channelStride] * f) }
            case .contrast:
                for c in 0..<channels { store(q, c, fused(k, mean, q[c * channelStride] * f)) }
            case .saturation:
                guard three else { return }
                let g = gray(q)
                for c in 0..<3 { store(q, c, fused(k, g, q[c * channelStride] * f)) }
            case .grayscale:
                guard three else { return }
                let g = gray(q)
                for c in 0..<3 { store(q, c, g) }
            case .hue(let turn):
                guard three else { return }
                let v = ColorStep.turnHue(SIMD4(q[0], q[channelStride], q[2 * channelStride], 0), by: turn)
                // torchvision returns to uint8 through to_dtype(scale=True): × (255 + 1 − 0.001), truncated.
                for c in 0..<3 { store(q, c, v[c] / 255 * 255.999) }
            }
        }
    }
}
