import CAugmentKernels

/// The exact-mode sampling kernel: one pass from a UInt8 HWC source to Float output through an
/// ``AffineMap``, with the ``PixelFinish`` tail fused in.
///
/// Per output row the source coordinate is `start + column · step` (affine → incremental). The
/// columns whose bilinear (or nearest) footprint lies wholly inside the source are found
/// analytically, with a 1e-3 px safety margin, and run a branch-free loop without fill-mode
/// logic; the few border pixels take the general path. With `nearest` fill and bilinear sampling
/// the whole row runs that loop with the coordinate clamped (nearest sampling: a clamped loop).
/// Coordinates step in 32.32 fixed point (shift for the index, mask for the fraction); three
/// channels load as 32-bit words and store as one 16-byte write per pixel. Bilinear spans of 2–4
/// channels run eight pixels at a time in C (`aug_bilinear_span`, AVX2, bit-identical to the
/// Swift loop, which serves other CPUs and channel counts). Strong downscales are prefiltered by
/// the caller (``MipLevel``).
struct ExactWarp {
    let source: UnsafeBufferPointer<UInt8>
    let sourceWidth: Int, sourceHeight: Int, channels: Int
    /// Bytes from one source row to the next: `sourceWidth · channels`, or more for a window of a
    /// larger image (a crop read in place).
    let rowStride: Int
    let map: AffineMap
    let fill: FillMode
    let cval: Float
    let order: InterpolationOrder
    let finish: PixelFinish
    let output: UnsafeMutableBufferPointer<Float>
    let width: Int, height: Int
    let columnStride: Int, channelStride: Int
    /// Whether bilinear spans may use the C kernel (tests turn it off to compare with the Swift loop).
    var vectorized = true

    /// Warps a UInt8 HWC `source` through `map` (output pixel → source pixel) into `output`,
    /// box-reducing the source first where the map samples it at more than 1.5 source pixels per
    /// output pixel (``MipLevel``, scratch on the stack when small). `rowStride` (bytes, default
    /// `sourceWidth · channels`) lets `source` be a window of a larger image, read in place:
    /// samples outside the window are outside the image.
    static func render(_ source: UnsafeBufferPointer<UInt8>, width sourceWidth: Int, height sourceHeight: Int,
                       channels: Int, rowStride: Int? = nil, map: AffineMap, fill: FillMode, cval: Float,
                       order: InterpolationOrder, finish: PixelFinish, into output: UnsafeMutableBufferPointer<Float>,
                       width: Int, height: Int, layout: PixelLayout) {
        func warp(_ pixels: UnsafeBufferPointer<UInt8>, width w: Int, height h: Int, rowStride: Int, map: AffineMap) {
            ExactWarp(source: pixels, sourceWidth: w, sourceHeight: h, channels: channels, rowStride: rowStride,
                      map: map, fill: fill, cval: cval, order: order,
                      finish: finish, output: output, width: width, height: height,
                      columnStride: layout == .hwc ? channels : 1,
                      channelStride: layout == .hwc ? 1 : width * height).run()
        }
        withLevel(source, width: sourceWidth, height: sourceHeight, channels: channels, rowStride: rowStride,
                  map: map, body: warp)
    }

    /// Calls `body` with the pixels the warp samples for `map`: `source` itself, or its mip
    /// level (``MipLevel``, on the stack when small) where `map` samples more than 1.5 source
    /// pixels per output pixel, with their size, row stride in bytes and the map into them.
    static func withLevel(_ source: UnsafeBufferPointer<UInt8>, width sourceWidth: Int, height sourceHeight: Int,
                          channels: Int, rowStride: Int?, map: AffineMap,
                          body: (UnsafeBufferPointer<UInt8>, _ width: Int, _ height: Int, _ rowStride: Int, AffineMap) -> Void) {
        let (kx, ky) = MipLevel.factors(map)
        if kx == 1 && ky == 1 {
            body(source, sourceWidth, sourceHeight, rowStride ?? sourceWidth * channels, map)
        } else {
            let (mw, mh) = MipLevel.size(width: sourceWidth, height: sourceHeight, kx: kx, ky: ky)
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: mw * mh * channels) { mip in
                MipLevel.reduce(source, width: sourceWidth, height: sourceHeight, channels: channels,
                                rowStride: rowStride, kx: kx, ky: ky, into: mip)
                body(UnsafeBufferPointer(mip), mw, mh, mw * channels, MipLevel.adjust(map, kx: kx, ky: ky))
            }
        }
    }

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

    /// Bilinear blend of the 2×2 neighbourhood at `p` (right neighbour one pixel on, lower
    /// neighbour `down` bytes on), all channels at once.
    @inline(__always)
    static func bilinear<Ch: ChannelCount>(_: Ch.Type, _ p: UnsafePointer<UInt8>, down: Int,
                                           fx: Float, fy: Float) -> SIMD4<Float> {
        let (p0, p1) = Ch.loadPair(p), (q0, q1) = Ch.loadPair(p + down)
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
        let rowStride = self.rowStride
        let src = source.baseAddress!
        let out = output.baseAddress!
        let dx = Float(map.a), dy = Float(map.d)
        // Coordinates step through each row in 32.32 fixed point: integer part by shift, fraction
        // by mask, no float→int conversion (and no trap check) per pixel.
        let stepX = Int64((map.a * Self.one).rounded()), stepY = Int64((map.d * Self.one).rounded())
        let half: Int64 = order == .nearest ? 1 << 31 : 0
        let finish = self.finish, columnStride = self.columnStride, channelStride = self.channelStride
        let bound = Double(1 << 30)
        let clampable = fill == .nearest && order == .bilinear && sourceWidth > 1 && sourceHeight > 1
        var packedFinish = finish.packed
        var rows = aug_bilinear_rows(
            source: src, source_count: source.count, row_stride: rowStride, channels: Int32(C),
            last_x: Int32(clamping: sourceWidth - 1), last_y: Int32(clamping: sourceHeight - 1),
            finish: nil, clamps: finish.clamps ? 1 : 0, column_stride: columnStride, channel_stride: channelStride)
        // A zero-length call asks whether the C spans handle this image (CPU, channels, layout, size).
        let spans = vectorized && order == .bilinear && aug_bilinear_span(&rows, 0, 0, 0, 0, out, 0, 0, 0) != 0
        for r in 0..<height {
            let x0 = map.b * Double(r) + map.c, y0 = map.e * Double(r) + map.f
            let rowOut = out + r * width * columnStride
            let xEnd = x0 + map.a * Double(width), yEnd = y0 + map.d * Double(width)
            // `nearest` fill: clamping the coordinate equals clamping every neighbour index, so
            // the border columns run a branch-light clamped loop (unless coordinates are absurdly far).
            let clamped = fill == .nearest && max(abs(x0), abs(y0), abs(xEnd), abs(yEnd)) < bound
            let clampsFast = clamped && clampable
            let (minX, maxX) = clampsFast ? (0, Int64(sourceWidth - 1) << 32 - 1) : (Int64.min, Int64.max)
            let (minY, maxY) = clampsFast ? (0, Int64(sourceHeight - 1) << 32 - 1) : (Int64.min, Int64.max)
            let insideX = Self.insideRange(start: x0, step: map.a, low: lowX, high: highX, count: width)
            let insideY = Self.insideRange(start: y0, step: map.d, low: lowY, high: highY, count: width)
            let lo = max(insideX.lowerBound, insideY.lowerBound)
            // Clamped bilinear rows run whole through the fast loop: the coordinate is clamped to
            // [0, last − 2⁻³²], so both neighbours exist and a fraction of 1 − 2⁻³² rounds to
            // exactly 1 in Float, which picks the last pixel exactly.
            let fast = clampsFast ? 0..<width : lo..<max(lo, min(insideX.upperBound, insideY.upperBound))
            /// 32.32 fixed-point source coordinates of `column`, plus `half` for nearest.
            func fixed(_ column: Int) -> (x: Int64, y: Int64) {
                (Int64(((x0 + map.a * Double(column)) * Self.one).rounded()) &+ half,
                 Int64(((y0 + map.d * Double(column)) * Self.one).rounded()) &+ half)
            }
            func border(_ columns: Range<Int>) {
                guard !columns.isEmpty else { return }
                if clamped {
                    let (x, y) = fixed(columns.lowerBound)
                    clampedSpan(ch, x: x, y: y, stepX: stepX, stepY: stepY, count: columns.count,
                                into: rowOut + columns.lowerBound * columnStride)
                } else {
                    let fx0 = Float(x0), fy0 = Float(y0)
                    for c in columns {
                        generalPixel(x: fx0 + dx * Float(c), y: fy0 + dy * Float(c), into: rowOut + c * columnStride)
                    }
                }
            }
            border(0..<fast.lowerBound)
            var (x, y) = fixed(fast.lowerBound)
            var o = rowOut + fast.lowerBound * columnStride
            switch order {
            case .bilinear:
                @inline(__always) func next() -> SIMD4<Float> {
                    let cx = min(max(x, minX), maxX), cy = min(max(y, minY), maxY)
                    let xi = Int(truncatingIfNeeded: cx >> 32), yi = Int(truncatingIfNeeded: cy >> 32)
                    let v = Self.bilinear(ch, src + (yi &* rowStride &+ xi &* C), down: rowStride,
                                          fx: Float(UInt32(truncatingIfNeeded: cx)) * 0x1p-32,
                                          fy: Float(UInt32(truncatingIfNeeded: cy)) * 0x1p-32)
                    x &+= stepX
                    y &+= stepY
                    return finish(v)
                }
                var remaining = fast.count
                if spans {
                    // Clamped rows clamp only the blocks that reach past the interior columns.
                    let inner = clampsFast ? lo..<max(lo, min(insideX.upperBound, insideY.upperBound)) : fast
                    withUnsafeBytes(of: &packedFinish) { finish in
                        rows.finish = finish.baseAddress!.assumingMemoryBound(to: Float.self)
                        _ = aug_bilinear_span(&rows, x, y, stepX, stepY, o, fast.count,
                                              inner.lowerBound - fast.lowerBound, inner.upperBound - fast.lowerBound)
                    }
                    remaining = 0
                }
                if C == 3 && channelStride == 1 {
                    // One 16-byte store per pixel: its fourth lane lands on the next pixel's first
                    // channel, which is written afterwards. The last pixel stores three lanes only.
                    while remaining > 1 {
                        UnsafeMutableRawPointer(o).storeBytes(of: next(), as: SIMD4<Float>.self)
                        o += 3
                        remaining -= 1
                    }
                }
                while remaining > 0 {
                    Ch.store(next(), o, stride: channelStride)
                    o += columnStride
                    remaining -= 1
                }
            case .nearest:
                // `half` was added: the integer part is floor(x + 0.5), ties up.
                for _ in fast {
                    let xi = Int(truncatingIfNeeded: x >> 32), yi = Int(truncatingIfNeeded: y >> 32)
                    Ch.store(finish(Ch.load(src + (yi &* rowStride &+ xi &* C))), o, stride: channelStride)
                    x &+= stepX
                    y &+= stepY
                    o += columnStride
                }
            }
            border(fast.upperBound..<width)
        }
    }

    /// `nearest` fill over `count` columns from 32.32 coordinates (x, y): every coordinate is
    /// clamped into the source, so no neighbour index can leave it.
    @inline(__always)
    func clampedSpan<Ch: ChannelCount>(_ ch: Ch.Type, x: Int64, y: Int64, stepX: Int64, stepY: Int64, count: Int,
                                       into start: UnsafeMutablePointer<Float>) {
        let C = Ch.count, rowStride = self.rowStride
        let src = source.baseAddress!
        let lastX = Int64(sourceWidth - 1) << 32, lastY = Int64(sourceHeight - 1) << 32
        let topX = lastX | 0xFFFF_FFFF, topY = lastY | 0xFFFF_FFFF
        var x = x, y = y, o = start
        for _ in 0..<count {
            if order == .bilinear {
                let cx = min(max(x, 0), lastX), cy = min(max(y, 0), lastY)
                let xi = Int(truncatingIfNeeded: cx >> 32), yi = Int(truncatingIfNeeded: cy >> 32)
                let right = cx < lastX ? C : 0, down = cy < lastY ? rowStride : 0
                let p = src + (yi &* rowStride &+ xi &* C)
                let fx = Float(UInt32(truncatingIfNeeded: cx)) * 0x1p-32, fy = Float(UInt32(truncatingIfNeeded: cy)) * 0x1p-32
                let p0 = Ch.load(p), p1 = Ch.load(p + right), q0 = Ch.load(p + down), q1 = Ch.load(p + down + right)
                let top = p0 + fx * (p1 - p0), bottom = q0 + fx * (q1 - q0)
                Ch.store(finish(top + fy * (bottom - top)), o, stride: channelStride)
            } else {
                let cx = min(max(x, 0), topX), cy = min(max(y, 0), topY)
                let xi = Int(truncatingIfNeeded: cx >> 32), yi = Int(truncatingIfNeeded: cy >> 32)
                Ch.store(finish(Ch.load(src + (yi &* rowStride &+ xi &* C))), o, stride: channelStride)
            }
            x &+= stepX
            y &+= stepY
            o += columnStride
        }
    }
}
