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

    /// Stores the first `count` lanes at `o`, `stride` apart.
    @inline(__always)
    static func store(_ v: SIMD4<Float>, _ o: UnsafeMutablePointer<Float>, stride: Int) {
        for i in 0..<count { o[i * stride] = v[i] }
    }
}
