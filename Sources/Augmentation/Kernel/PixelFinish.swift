/// The per-element tail of the exact-mode kernel, applied to each interpolated value `v`
/// (pixel units) before it is stored:
/// ```
/// v = clamp(v + shift, shiftLow, shiftHigh)      // channel shift, clamped to [0, 255]
/// v = clamp(v · brightness, brightLow, brightHigh) // brightness, clamped to [0, 255]
/// out = v · scale[c] + bias[c]                   // rescale + feature-wise centre/std
/// ```
/// Disabled stages use ±∞ bounds (and 0 / 1), so the same branch-free code runs for every sample.
struct PixelFinish {
    var shift: Float = 0
    var shiftLow = -Float.infinity, shiftHigh = Float.infinity
    var brightness: Float = 1
    var brightLow = -Float.infinity, brightHigh = Float.infinity
    /// Up to four channels.
    var scale: SIMD4<Float> = .one
    var bias: SIMD4<Float> = .zero

    @inline(__always)
    func callAsFunction(_ value: Float, channel: Int) -> Float {
        var v = min(max(value + shift, shiftLow), shiftHigh)
        v = min(max(v * brightness, brightLow), brightHigh)
        return v * scale[channel] + bias[channel]
    }
}
