/// A counter-based random source: every number is a pure function of
/// (seed, epoch, index, draw slot), so draws need no shared state and any single
/// sample can be replayed alone, on any thread, in any order.
///
/// Path: `key = mix(mix(mix(seed) ^ epoch) ^ index)`, then draw `k` is
/// `mix(key &+ (k + 1) &* 0x9E3779B97F4A7C15)`, where `mix` is the SplitMix64 finaliser
/// (Stafford's mix13). A uniform Double in [0, 1) takes the top 53 bits.
public struct CounterRandom: Sendable, Equatable {
    let key: UInt64

    /// The stream of one (seed, epoch, index) triple.
    public init(seed: UInt64, epoch: Int, index: Int) {
        var k = Self.mix(seed)
        k = Self.mix(k ^ UInt64(bitPattern: Int64(epoch)))
        k = Self.mix(k ^ UInt64(bitPattern: Int64(index)))
        key = k
    }

    /// The SplitMix64 finaliser: a bijective avalanche of 64 bits.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64 random bits for draw slot `slot`.
    @inline(__always)
    public func bits(_ slot: Int) -> UInt64 {
        Self.mix(key &+ UInt64(slot + 1) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// A uniform Double in [0, 1) for draw slot `slot`.
    @inline(__always)
    public func unit(_ slot: Int) -> Double {
        Double(bits(slot) >> 11) * 0x1p-53
    }

    /// A uniform Double in [low, high) for draw slot `slot`.
    @inline(__always)
    public func uniform(_ slot: Int, _ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit(slot)
    }

    /// A uniform integer in [0, n) for draw slot `slot` (n > 0); Lemire's multiply-high.
    @inline(__always)
    public func below(_ slot: Int, _ n: Int) -> Int {
        Int(bits(slot).multipliedFullWidth(by: UInt64(n)).high)
    }
}
