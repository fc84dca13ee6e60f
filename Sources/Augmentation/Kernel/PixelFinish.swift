/// The per-pixel tail of the exact-mode kernel, applied to the interpolated channels `v`
/// (pixel units, up to four lanes) before they are stored:
/// ```
/// v = clamp(v + shift, shiftLow, shiftHigh)        // channel shift, clamped to [0, 255]
/// v = clamp(v · brightness, brightLow, brightHigh) // brightness, clamped to [0, 255]
/// out = v · scale + bias                           // rescale + feature-wise centre/std, per channel
/// ```
/// Disabled stages use ±∞ bounds (and 0 / 1); without any colour step (`clamps == false`, the
/// common case) only the multiply-add runs. The clamps are written lane by lane because the
/// stdlib's generic `pointwiseMin`/`pointwiseMax` are not inlined.
struct PixelFinish {
    var clamps = false
    var shift: SIMD4<Float> = .zero
    var shiftLow = SIMD4<Float>(repeating: -.infinity), shiftHigh = SIMD4<Float>(repeating: .infinity)
    var brightness: SIMD4<Float> = .one
    var brightLow = SIMD4<Float>(repeating: -.infinity), brightHigh = SIMD4<Float>(repeating: .infinity)
    var scale: SIMD4<Float> = .one
    var bias: SIMD4<Float> = .zero

    /// The parameters as 8 × 4 contiguous Floats (shift, its bounds, brightness, its bounds,
    /// scale, bias), the layout `aug_bilinear_rows.finish` reads.
    var packed: (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>,
                 SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
        (shift, shiftLow, shiftHigh, brightness, brightLow, brightHigh, scale, bias)
    }

    @inline(__always)
    func callAsFunction(_ value: SIMD4<Float>) -> SIMD4<Float> {
        guard clamps else { return value * scale + bias }
        var v = value + shift
        for i in 0..<4 { v[i] = min(max(v[i], shiftLow[i]), shiftHigh[i]) }
        v *= brightness
        for i in 0..<4 { v[i] = min(max(v[i], brightLow[i]), brightHigh[i]) }
        return v * scale + bias
    }
}
