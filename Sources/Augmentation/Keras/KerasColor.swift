/// Keras's colour helpers reproduced in Float32: `apply_channel_shift` and
/// `apply_brightness_shift` (PIL's 8-bit round trip). They act on whole images because Keras
/// clips and rescales with the whole image's min/max.
public enum KerasColor {
    /// `apply_channel_shift`: adds `Float(intensity)` to every element (all channels, alpha too),
    /// then clips to the min/max the image had before the shift.
    /// - Complexity: two passes over `x`.
    public static func channelShift(_ x: UnsafeMutableBufferPointer<Float>, intensity: Double) {
        guard let (lo, hi) = minMax(UnsafeBufferPointer(x)) else { return }
        let shift = Float(intensity)
        for i in x.indices { x[i] = min(max(x[i] + shift, lo), hi) }
    }

    /// `apply_brightness_shift(x, brightness, scale)` on an image with `channels` channels in
    /// `layout` (4 = RGBA: alpha keeps its 8-bit value).
    ///
    /// With lo, hi the image min/max: if `scale` or lo < 0 or hi > 255, `t = (x-lo)/max(x-lo)·255`,
    /// else `t = x`; `q = UInt8(t)` truncates; `out = clip(trunc(Float(b)·Float(q)), 0, 255)`.
    /// Without `scale` but with local scaling, the result maps back: `out/255·(hi-lo)+lo`.
    /// - Complexity: three passes over `x`.
    public static func brightness(_ x: UnsafeMutableBufferPointer<Float>, channels: Int,
                                  factor: Double, scale: Bool = false, layout: PixelLayout = .hwc) {
        guard let (lo, hi) = minMax(UnsafeBufferPointer(x)) else { return }
        let localScale = lo < 0 || hi > 255
        let stretch = localScale || scale
        var span: Float = 1
        if stretch {
            for i in x.indices { x[i] = x[i] - lo }
            span = hi - lo
        }
        let b = Float(factor)
        let plane = x.count / max(channels, 1)
        @inline(__always) func isAlpha(_ i: Int) -> Bool {
            channels == 4 && (layout == .hwc ? i % 4 == 3 : i >= 3 * plane)
        }
        for i in x.indices {
            var t = x[i]
            if stretch {
                if span != 0 { t = t / span }
                t = t * 255
            }
            let q = Float(UInt8(min(max(t, 0), 255)))  // astype(uint8) truncates
            if isAlpha(i) {
                x[i] = q
            } else {
                x[i] = min(max((b * q).rounded(.towardZero), 0), 255)
            }
        }
        if !scale && localScale {
            let range = hi - lo
            for i in x.indices { x[i] = x[i] / 255 * range + lo }
        }
    }

    static func minMax(_ x: UnsafeBufferPointer<Float>) -> (Float, Float)? {
        guard var lo = x.first else { return nil }
        var hi = lo
        for v in x {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        return (lo, hi)
    }
}
