/// A channel count known at compile time, so the kernel's per-channel loops unroll and the
/// channels of one pixel travel together in one `SIMD4<Float>`.
protocol ChannelCount {
    static var count: Int { get }
}

enum OneChannel: ChannelCount { static var count: Int { 1 } }
enum TwoChannels: ChannelCount { static var count: Int { 2 } }
enum ThreeChannels: ChannelCount { static var count: Int { 3 } }
enum FourChannels: ChannelCount { static var count: Int { 4 } }

extension ChannelCount {
    /// The pixel's channels at `p` as Floats (unused lanes 0).
    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>) -> SIMD4<Float> {
        var v = SIMD4<Float>.zero
        for i in 0..<count { v[i] = Float(p[i]) }
        return v
    }

    /// The pixel at `p` and its right neighbour, as Floats (unused lanes 0).
    @inline(__always)
    static func loadPair(_ p: UnsafePointer<UInt8>) -> (SIMD4<Float>, SIMD4<Float>) {
        let (a, b) = loadPairIntegers(p)
        return (SIMD4<Float>(a), SIMD4<Float>(b))
    }

    /// The pixel at `p` and its right neighbour as integer lanes (unused lanes 0). Three and four
    /// channels read them as two unaligned 32-bit words inside the six (eight) bytes of the pair.
    @inline(__always)
    static func loadPairIntegers(_ p: UnsafePointer<UInt8>) -> (SIMD4<Int32>, SIMD4<Int32>) {
        let raw = UnsafeRawPointer(p)
        switch count {
        case 3:
            return (lanes(raw.loadUnaligned(as: UInt32.self) & 0x00FF_FFFF),
                    lanes(raw.loadUnaligned(fromByteOffset: 2, as: UInt32.self) >> 8))
        case 4:
            return (lanes(raw.loadUnaligned(as: UInt32.self)), lanes(raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        default:
            return (loadIntegers(p), loadIntegers(p + count))
        }
    }

    /// The pixel's channels at `p` as integer lanes (unused lanes 0).
    @inline(__always)
    static func loadIntegers(_ p: UnsafePointer<UInt8>) -> SIMD4<Int32> {
        var v = SIMD4<Int32>.zero
        for i in 0..<count { v[i] = Int32(p[i]) }
        return v
    }

    /// The four bytes of `word` (little-endian order) as integer lanes.
    @inline(__always)
    static func lanes(_ word: UInt32) -> SIMD4<Int32> {
        SIMD4<Int32>(truncatingIfNeeded: unsafeBitCast(word.littleEndian, to: SIMD4<UInt8>.self))
    }

    /// Stores the first `count` lanes at `o`, `stride` apart.
    @inline(__always)
    static func store(_ v: SIMD4<Float>, _ o: UnsafeMutablePointer<Float>, stride: Int) {
        for i in 0..<count { o[i * stride] = v[i] }
    }
}
