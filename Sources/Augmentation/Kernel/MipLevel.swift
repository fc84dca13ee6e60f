import CAugmentKernels

/// The downscale prefilter of the exact-mode kernel: when an output pixel covers more than 1.5
/// source pixels along an axis, the source is first box-averaged by an integer factor
/// `k = round(footprint)` on that axis (a mip level, rounded to 8 bits), and the warp samples
/// the mip level instead. The residual footprint is then at most about one pixel, so bilinear
/// sampling no longer aliases. Blocks at the right and bottom edges may be partial; they average
/// the pixels they have.
enum MipLevel {
    /// Source pixels per output pixel above which the source is reduced.
    static let threshold = 1.5
    /// The fewest source pixels per output pixel a reduction leaves: just above the threshold,
    /// halved. A decoder may reduce a source this far on its own (``Augmenter/minimumSourceSize(for:cropsToAspect:)``).
    static let leastFootprint = threshold / 2

    /// The box factors for `map` (source pixels per output pixel along x and y), 1 = no reduction.
    static func factors(_ map: AffineMap) -> (x: Int, y: Int) {
        let (x, y) = spacings(map)
        func factor(_ spacing: Double) -> Int {
            spacing > threshold && spacing.isFinite ? Int(min(spacing, 256).rounded()) : 1
        }
        return (factor(x), factor(y))
    }

    /// Source pixels per output pixel along x and y: source x moves by (a, b) per output
    /// (column, row) step, so its spacing is their length; likewise y with (d, e).
    static func spacings(_ map: AffineMap) -> (x: Double, y: Double) {
        ((map.a * map.a + map.b * map.b).squareRoot(), (map.d * map.d + map.e * map.e).squareRoot())
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

    /// Box-averages `source` (HWC, rows `rowStride` bytes apart: `width · channels` unless it is
    /// a window of a larger image) into `mip`, rounding to the nearest level (halves up).
    /// - Complexity: O(source pixels · channels): vertical 16-bit column sums, then horizontal
    ///   block sums and an exact multiply-shift division (`aug_mip_reduce`, AVX2 when available).
    static func reduce(_ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int,
                       rowStride: Int? = nil, kx: Int, ky: Int, into mip: UnsafeMutableBufferPointer<UInt8>) {
        let (mw, mh) = size(width: width, height: height, kx: kx, ky: ky)
        let stride = rowStride ?? width * channels
        precondition((1...4).contains(channels) && (1...256).contains(kx) && (1...256).contains(ky)
                     && stride >= width * channels && source.count >= (height - 1) * stride + width * channels
                     && mip.count >= mw * mh * channels)
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: width * channels) { sums in
            aug_mip_reduce(source.baseAddress!, stride, Int32(width), Int32(height), Int32(channels), Int32(kx), Int32(ky),
                           mip.baseAddress!, sums.baseAddress!)
        }
    }
}
