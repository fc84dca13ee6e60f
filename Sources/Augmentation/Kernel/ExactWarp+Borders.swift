/// The general exact-mode sampling path: border pixels of `constant`, `reflect` and `wrap`.
extension ExactWarp {
    /// Maps a source index on an axis of length `n` with the exact-mode fill rules (true
    /// periods: reflect 2n, mirror 2n − 2, wrap n); -1 stands for `cval`.
    @inline(__always)
    func index(_ i: Int, _ n: Int) -> Int {
        if i >= 0 && i < n { return i }
        switch fill {
        case .constant: return -1
        case .nearest: return min(max(i, 0), n - 1)
        case .reflect:
            let period = 2 * n
            var k = i % period
            if k < 0 { k += period }
            return k >= n ? period - 1 - k : k
        case .wrap:
            let k = i % n
            return k < 0 ? k + n : k
        case .mirror:
            guard n > 1 else { return 0 }
            let period = 2 * n - 2
            var k = i % period
            if k < 0 { k += period }
            return k >= n ? period - k : k
        }
    }

    @inline(__always)
    func read(_ row: Int, _ column: Int) -> SIMD4<Float> {
        if row < 0 || column < 0 { return SIMD4(repeating: cval) }
        var v = SIMD4<Float>.zero
        let base = row * rowStride + column * channels
        for ch in 0..<channels { v[ch] = Float(source[base + ch]) }
        return v
    }

    /// All channels at source coordinate (x, y), pixel units, with full fill-mode handling.
    @inline(__always)
    func interpolate(x: Float, y: Float) -> SIMD4<Float> {
        // Far-away coordinates are brought near the image first so the Int conversion cannot trap.
        let limit = Float(1 << 24)
        let x = min(max(x, -limit), limit), y = min(max(y, -limit), limit)
        if order == .nearest {
            return read(index(Int((y + 0.5).rounded(.down)), sourceHeight),
                        index(Int((x + 0.5).rounded(.down)), sourceWidth))
        }
        let xf = x.rounded(.down), yf = y.rounded(.down)
        let fx = x - xf, fy = y - yf
        let xa = index(Int(xf), sourceWidth), xb = index(Int(xf) + 1, sourceWidth)
        let ya = index(Int(yf), sourceHeight), yb = index(Int(yf) + 1, sourceHeight)
        let p0 = read(ya, xa), p1 = read(ya, xb), q0 = read(yb, xa), q1 = read(yb, xb)
        let top = p0 + fx * (p1 - p0), bottom = q0 + fx * (q1 - q0)
        return top + fy * (bottom - top)
    }

    func store(_ v: SIMD4<Float>, _ o: UnsafeMutablePointer<Float>) {
        let done = finish(v)
        for ch in 0..<channels { o[ch * channelStride] = done[ch] }
    }

    func generalPixel(x: Float, y: Float, into o: UnsafeMutablePointer<Float>) {
        store(interpolate(x: x, y: y), o)
    }

    /// A non-finite transform: every pixel is `cval` (finished).
    func fillConstant() {
        for p in 0..<(width * height) { store(SIMD4(repeating: cval), output.baseAddress! + p * columnStride) }
    }
}
