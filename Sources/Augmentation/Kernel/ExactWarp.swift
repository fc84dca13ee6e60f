/// The exact-mode sampling kernel: one pass from a UInt8 HWC source to Float output through an
/// ``AffineMap``, with the ``PixelFinish`` tail fused in.
///
/// Per output row the source coordinate is `start + column · step` (affine → incremental). The
/// columns whose bilinear (or nearest) footprint lies wholly inside the source are found
/// analytically, with a 1e-3 px safety margin, and run a branch-free loop without fill-mode
/// logic; the few border pixels take the general path. With `nearest` fill every pixel takes the
/// clamped loop. Coordinates step in 32.32 fixed point (shift for the index, mask for the
/// fraction). Strong downscales are prefiltered by the caller (``MipLevel``).
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
        guard [map.a, map.b, map.c, map.d, map.e, map.f].allSatisfy(\.isFinite) else {
            fillConstant()
            return
        }
        switch channels {
        case 1: runRows(OneChannel.self)
        case 2: runRows(TwoChannels.self)
        case 3: runRows(ThreeChannels.self)
        default: runRows(FourChannels.self)
        }
    }

    /// The column range [lo, hi) where `start + c·step` stays within [low, high].
    @inline(__always)
    static func insideRange(start: Double, step: Double, low: Double, high: Double, count: Int) -> Range<Int> {
        if abs(step) < 1e-12 {
            return start >= low && start <= high ? 0..<count : 0..<0
        }
        var first = (low - start) / step, last = (high - start) / step
        if step < 0 { swap(&first, &last) }
        let lo = max(0, Int(max(first, -1).rounded(.up)))
        let hi = min(count, Int(min(last, Double(count)).rounded(.down)) + 1)
        return lo < hi ? lo..<hi : 0..<0
    }

    /// Bilinear blend of the 2×2 neighbourhood at `p` (right neighbour `right` bytes on, lower
    /// neighbour `down` bytes on), all channels at once.
    @inline(__always)
    static func bilinear<Ch: ChannelCount>(_: Ch.Type, _ p: UnsafePointer<UInt8>, right: Int, down: Int,
                                           fx: Float, fy: Float) -> SIMD4<Float> {
        let p0 = Ch.load(p), p1 = Ch.load(p + right)
        let q0 = Ch.load(p + down), q1 = Ch.load(p + down + right)
        let top = p0 + fx * (p1 - p0), bottom = q0 + fx * (q1 - q0)
        return top + fy * (bottom - top)
    }

    /// 32.32 fixed point: `Int64(x · 2³²)`.
    static let one = 4_294_967_296.0

    func runRows<Ch: ChannelCount>(_ ch: Ch.Type) {
        let C = Ch.count
        let margin = 1e-3
        // The fast path needs x0 = floor(x) and x0 + 1 in range (bilinear), or floor(x + 0.5) in range.
        let (lowX, highX, lowY, highY) = order == .bilinear
            ? (margin, Double(sourceWidth - 1) - margin, margin, Double(sourceHeight - 1) - margin)
            : (margin - 0.5, Double(sourceWidth) - 0.5 - margin, margin - 0.5, Double(sourceHeight) - 0.5 - margin)
        let rowStride = sourceWidth * C
        let src = source.baseAddress!
        let out = output.baseAddress!
        let dx = Float(map.a), dy = Float(map.d)
        // Coordinates step through each row in 32.32 fixed point: integer part by shift, fraction
        // by mask, no float→int conversion (and no trap check) per pixel.
        let stepX = Int64((map.a * Self.one).rounded()), stepY = Int64((map.d * Self.one).rounded())
        let half: Int64 = order == .nearest ? 1 << 31 : 0
        let lastX = Int64(sourceWidth - 1) << 32, lastY = Int64(sourceHeight - 1) << 32
        let finish = self.finish, columnStride = self.columnStride, channelStride = self.channelStride
        let bound = Double(1 << 30)
        for r in 0..<height {
            let x0 = map.b * Double(r) + map.c, y0 = map.e * Double(r) + map.f
            let rowOut = out + r * width * columnStride
            let fx0 = Float(x0), fy0 = Float(y0)
            let xEnd = x0 + map.a * Double(width), yEnd = y0 + map.d * Double(width)
            // `nearest` fill: clamping the coordinate equals clamping every neighbour index, so
            // the whole row runs one branch-light loop (unless coordinates are absurdly far).
            let clamped = fill == .nearest && max(abs(x0), abs(y0), abs(xEnd), abs(yEnd)) < bound
            var fast = 0..<width
            if !clamped {
                let insideX = Self.insideRange(start: x0, step: map.a, low: lowX, high: highX, count: width)
                let insideY = Self.insideRange(start: y0, step: map.d, low: lowY, high: highY, count: width)
                let lo = max(insideX.lowerBound, insideY.lowerBound)
                fast = lo..<max(lo, min(insideX.upperBound, insideY.upperBound))
                for c in 0..<fast.lowerBound {
                    generalPixel(x: fx0 + dx * Float(c), y: fy0 + dy * Float(c), into: rowOut + c * columnStride)
                }
            }
            let first = Double(fast.lowerBound)
            var x = Int64(((x0 + map.a * first) * Self.one).rounded()) &+ half
            var y = Int64(((y0 + map.d * first) * Self.one).rounded()) &+ half
            var o = rowOut + fast.lowerBound * columnStride
            switch (order, clamped) {
            case (.bilinear, false):
                for _ in fast {
                    let xi = Int(truncatingIfNeeded: x >> 32), yi = Int(truncatingIfNeeded: y >> 32)
                    let v = Self.bilinear(ch, src + (yi &* rowStride &+ xi &* C), right: C, down: rowStride,
                                          fx: Float(UInt32(truncatingIfNeeded: x)) * 0x1p-32,
                                          fy: Float(UInt32(truncatingIfNeeded: y)) * 0x1p-32)
                    Ch.store(finish(v), o, stride: channelStride)
                    x &+= stepX
                    y &+= stepY
                    o += columnStride
                }
            case (.bilinear, true):
                for _ in fast {
                    let cx = min(max(x, 0), lastX), cy = min(max(y, 0), lastY)
                    let xi = Int(truncatingIfNeeded: cx >> 32), yi = Int(truncatingIfNeeded: cy >> 32)
                    let right = cx < lastX ? C : 0, down = cy < lastY ? rowStride : 0
                    let v = Self.bilinear(ch, src + (yi &* rowStride &+ xi &* C), right: right, down: down,
                                          fx: Float(UInt32(truncatingIfNeeded: cx)) * 0x1p-32,
                                          fy: Float(UInt32(truncatingIfNeeded: cy)) * 0x1p-32)
                    Ch.store(finish(v), o, stride: channelStride)
                    x &+= stepX
                    y &+= stepY
                    o += columnStride
                }
            case (.nearest, _):
                // `half` was added: the integer part is floor(x + 0.5), ties up.
                let topX = lastX | 0xFFFF_FFFF, topY = lastY | 0xFFFF_FFFF
                for _ in fast {
                    let cx = clamped ? min(max(x, 0), topX) : x, cy = clamped ? min(max(y, 0), topY) : y
                    let xi = Int(truncatingIfNeeded: cx >> 32), yi = Int(truncatingIfNeeded: cy >> 32)
                    Ch.store(finish(Ch.load(src + (yi &* rowStride &+ xi &* C))), o, stride: channelStride)
                    x &+= stepX
                    y &+= stepY
                    o += columnStride
                }
            }
            if !clamped {
                for c in fast.upperBound..<width {
                    generalPixel(x: fx0 + dx * Float(c), y: fy0 + dy * Float(c), into: rowOut + c * columnStride)
                }
            }
        }
    }
}
