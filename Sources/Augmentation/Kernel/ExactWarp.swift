/// The exact-mode sampling kernel: one pass from a UInt8 HWC source to Float output through an
/// ``AffineMap``, with the ``PixelFinish`` tail fused in.
///
/// Per output row the source coordinate is `start + column · step` (affine → incremental). The
/// columns whose bilinear (or nearest) footprint lies wholly inside the source are found
/// analytically, with a 1e-3 px safety margin, and run a branch-free loop without fill-mode
/// logic (`Int(x)` truncates positive coordinates, so no `floor` call); the few border pixels take
/// the general path. Strong downscales (footprint > 1.5 source pixels per output pixel) average
/// `⌈footprint⌉²` bilinear taps spread over the pixel's footprint (a box prefilter by
/// supersampling), so the output does not alias.
struct ExactWarp {
    let source: UnsafeBufferPointer<UInt8>
    let sourceWidth: Int, sourceHeight: Int, channels: Int
    let map: AffineMap
    let fill: FillMode
    let cval: Float
    let order: InterpolationOrder
    let finish: PixelFinish
    let output: UnsafeMutableBufferPointer<Float>
    let width: Int, height: Int
    let columnStride: Int, channelStride: Int

    func run() {
        let footprintX = (map.a * map.a + map.d * map.d).squareRoot()
        let footprintY = (map.b * map.b + map.e * map.e).squareRoot()
        let tapsX = footprintX > 1.5 ? Int(footprintX.rounded(.up)) : 1
        let tapsY = footprintY > 1.5 ? Int(footprintY.rounded(.up)) : 1
        if tapsX > 1 || tapsY > 1 {
            runSupersampled(tapsX: tapsX, tapsY: tapsY)
            return
        }
        switch channels {
        case 1: runRows(channelCount: 1)
        case 3: runRows(channelCount: 3)
        case 4: runRows(channelCount: 4)
        default: runRows(channelCount: channels)
        }
    }

    /// The column range [lo, hi) where `start + c·step` stays within [low, high].
    @inline(__always)
    static func insideRange(start: Double, step: Double, low: Double, high: Double, count: Int) -> Range<Int> {
        guard start.isFinite, step.isFinite else { return 0..<0 }
        if abs(step) < 1e-12 {
            return start >= low && start <= high ? 0..<count : 0..<0
        }
        var first = (low - start) / step, last = (high - start) / step
        if step < 0 { swap(&first, &last) }
        let lo = max(0, Int(max(first, -1).rounded(.up)))
        let hi = min(count, Int(min(last, Double(count)).rounded(.down)) + 1)
        return lo < hi ? lo..<hi : 0..<0
    }

    @inline(__always)
    func runRows(channelCount C: Int) {
        let margin = 1e-3
        // The fast path needs x0 = Int(x) and x0 + 1 in range (bilinear), or Int(x + 0.5) in range.
        let (lowX, highX, lowY, highY) = order == .bilinear
            ? (margin, Double(sourceWidth - 1) - margin, margin, Double(sourceHeight - 1) - margin)
            : (margin - 0.5, Double(sourceWidth) - 0.5 - margin, margin - 0.5, Double(sourceHeight) - 0.5 - margin)
        let rowStride = sourceWidth * C
        let src = source.baseAddress!
        let out = output.baseAddress!
        let dx = Float(map.a), dy = Float(map.d)
        for r in 0..<height {
            let x0 = map.b * Double(r) + map.c, y0 = map.e * Double(r) + map.f
            let insideX = Self.insideRange(start: x0, step: map.a, low: lowX, high: highX, count: width)
            let insideY = Self.insideRange(start: y0, step: map.d, low: lowY, high: highY, count: width)
            let fast = max(insideX.lowerBound, insideY.lowerBound)..<max(
                max(insideX.lowerBound, insideY.lowerBound), min(insideX.upperBound, insideY.upperBound))
            let rowOut = out + r * width * columnStride
            let fx0 = Float(x0), fy0 = Float(y0)
            for c in 0..<fast.lowerBound { generalPixel(x: fx0 + dx * Float(c), y: fy0 + dy * Float(c),
                                                        into: rowOut + c * columnStride) }
            if order == .bilinear {
                for c in fast {
                    let x = fx0 + dx * Float(c), y = fy0 + dy * Float(c)
                    let xi = Int(x), yi = Int(y)
                    let fx = x - Float(xi), fy = y - Float(yi)
                    let p = src + yi * rowStride + xi * C
                    let q = p + rowStride
                    let o = rowOut + c * columnStride
                    for ch in 0..<C {
                        let p0 = Float(p[ch]), p1 = Float(p[ch + C])
                        let q0 = Float(q[ch]), q1 = Float(q[ch + C])
                        let top = p0 + fx * (p1 - p0)
                        let bottom = q0 + fx * (q1 - q0)
                        o[ch * channelStride] = finish(top + fy * (bottom - top), channel: ch)
                    }
                }
            } else {
                for c in fast {
                    let x = fx0 + dx * Float(c), y = fy0 + dy * Float(c)
                    let p = src + Int(y + 0.5) * rowStride + Int(x + 0.5) * C
                    let o = rowOut + c * columnStride
                    for ch in 0..<C { o[ch * channelStride] = finish(Float(p[ch]), channel: ch) }
                }
            }
            for c in fast.upperBound..<width { generalPixel(x: fx0 + dx * Float(c), y: fy0 + dy * Float(c),
                                                            into: rowOut + c * columnStride) }
        }
    }

    /// Maps a source index on an axis of length `n` with the exact-mode fill rules; -1 = cval.
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
        }
    }

    @inline(__always)
    func read(_ row: Int, _ column: Int, _ ch: Int) -> Float {
        if row < 0 || column < 0 { return cval }
        return Float(source[(row * sourceWidth + column) * channels + ch])
    }

    /// One sample (pixel units, before the finish) with full fill-mode handling.
    @inline(__always)
    func interpolate(x: Float, y: Float, channel ch: Int) -> Float {
        if order == .nearest {
            let xi = index(Int((x + 0.5).rounded(.down)), sourceWidth)
            let yi = index(Int((y + 0.5).rounded(.down)), sourceHeight)
            return read(yi, xi, ch)
        }
        let xf = x.rounded(.down), yf = y.rounded(.down)
        let fx = x - xf, fy = y - yf
        let xa = index(Int(xf), sourceWidth), xb = index(Int(xf) + 1, sourceWidth)
        let ya = index(Int(yf), sourceHeight), yb = index(Int(yf) + 1, sourceHeight)
        let p0 = read(ya, xa, ch), p1 = read(ya, xb, ch), q0 = read(yb, xa, ch), q1 = read(yb, xb, ch)
        let top = p0 + fx * (p1 - p0), bottom = q0 + fx * (q1 - q0)
        return top + fy * (bottom - top)
    }

    func generalPixel(x: Float, y: Float, into o: UnsafeMutablePointer<Float>) {
        guard x.isFinite, y.isFinite else {
            for ch in 0..<channels { o[ch * channelStride] = finish(cval, channel: ch) }
            return
        }
        for ch in 0..<channels {
            o[ch * channelStride] = finish(interpolate(x: x, y: y, channel: ch), channel: ch)
        }
    }

    func runSupersampled(tapsX: Int, tapsY: Int) {
        let weight = 1 / Float(tapsX * tapsY)
        for r in 0..<height {
            for c in 0..<width {
                let o = output.baseAddress! + (r * width + c) * columnStride
                for ch in 0..<channels {
                    var sum: Float = 0
                    for j in 0..<tapsY {
                        let oy = Double(r) + (Double(j) + 0.5) / Double(tapsY) - 0.5
                        for i in 0..<tapsX {
                            let ox = Double(c) + (Double(i) + 0.5) / Double(tapsX) - 0.5
                            let x = map.a * ox + map.b * oy + map.c, y = map.d * ox + map.e * oy + map.f
                            sum += interpolate(x: Float(x), y: Float(y), channel: ch)
                        }
                    }
                    o[ch * channelStride] = finish(sum * weight, channel: ch)
                }
            }
        }
    }
}
