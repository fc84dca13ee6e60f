/// The downscale prefilter of the exact-mode kernel: when an output pixel covers more than 1.5
/// source pixels along an axis, the source is first box-averaged by an integer factor
/// `k = round(footprint)` on that axis (a mip level, rounded to 8 bits), and the warp samples
/// the mip level instead. The residual footprint is then at most about one pixel, so bilinear
/// sampling no longer aliases. Blocks at the right and bottom edges may be partial; they average
/// the pixels they have.
enum MipLevel {
    /// The box factors for `map` (source pixels per output pixel along x and y), 1 = no reduction.
    static func factors(_ map: AffineMap) -> (x: Int, y: Int) {
        // Source x moves by (a, b) per output (column, row) step: its spacing is their length.
        func factor(_ spacing: Double) -> Int {
            spacing > 1.5 && spacing.isFinite ? Int(min(spacing, 256).rounded()) : 1
        }
        return (factor((map.a * map.a + map.b * map.b).squareRoot()),
                factor((map.d * map.d + map.e * map.e).squareRoot()))
    }

    /// Size of the mip level of a `width × height` source for factors `(kx, ky)`.
    static func size(width: Int, height: Int, kx: Int, ky: Int) -> (width: Int, height: Int) {
        ((width + kx - 1) / kx, (height + ky - 1) / ky)
    }

    /// `map` followed by the change to mip coordinates: `x' = (x + 0.5) / k - 0.5`.
    static func adjust(_ map: AffineMap, kx: Int, ky: Int) -> AffineMap {
        let sx = 1 / Double(kx), sy = 1 / Double(ky)
        return AffineMap(a: sx, b: 0, c: 0.5 * sx - 0.5, d: 0, e: sy, f: 0.5 * sy - 0.5).after(map)
    }

    /// Box-averages `source` (HWC) into `mip`, rounding to the nearest level (halves up).
    /// - Complexity: O(source pixels · channels), integer sums, two pixels per SIMD add.
    static func reduce(_ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int,
                       kx: Int, ky: Int, into mip: UnsafeMutableBufferPointer<UInt8>) {
        switch channels {
        case 1: reduce(OneChannel.self, source, width: width, height: height, kx: kx, ky: ky, into: mip)
        case 2: reduce(TwoChannels.self, source, width: width, height: height, kx: kx, ky: ky, into: mip)
        case 3: reduce(ThreeChannels.self, source, width: width, height: height, kx: kx, ky: ky, into: mip)
        default: reduce(FourChannels.self, source, width: width, height: height, kx: kx, ky: ky, into: mip)
        }
    }

    static func reduce<Ch: ChannelCount>(_: Ch.Type, _ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                                         kx: Int, ky: Int, into mip: UnsafeMutableBufferPointer<UInt8>) {
        let C = Ch.count
        let (mw, mh) = size(width: width, height: height, kx: kx, ky: ky)
        let src = source.baseAddress!, dst = mip.baseAddress!
        // Rounded mean floor((2·sum + n) / 2n) by multiply-shift for full blocks (exact for
        // numerators below 2³², Granlund–Montgomery); partial edge blocks divide.
        let full = kx * ky
        let divisor = UInt64(2 * full)
        let shift = UInt64(32 + (64 - (divisor - 1).leadingZeroBitCount))
        let multiplier = ((1 << shift) + divisor - 1) / divisor
        for my in 0..<mh {
            let y0 = my * ky, y1 = min(y0 + ky, height)
            for mx in 0..<mw {
                let x0 = mx * kx, x1 = min(x0 + kx, width)
                // Integer sums (exact up to 2³¹ / 255 pixels per block), pixels read in pairs.
                var sum = SIMD4<Int32>.zero
                for y in y0..<y1 {
                    var p = src + (y * width + x0) * C
                    var left = x1 - x0
                    while left >= 2 {
                        let (a, b) = Ch.loadPairIntegers(p)
                        sum &+= a &+ b
                        p += 2 * C
                        left -= 2
                    }
                    if left == 1 { sum &+= Ch.loadIntegers(p) }
                }
                let n = (y1 - y0) * (x1 - x0)
                let o = dst + (my * mw + mx) * C
                for ch in 0..<C {
                    let numerator = UInt64(truncatingIfNeeded: 2 * Int(sum[ch]) + n)
                    let mean = n == full ? (numerator &* multiplier) >> shift : numerator / UInt64(2 * n)
                    o[ch] = UInt8(truncatingIfNeeded: mean)
                }
            }
        }
    }
}
