/// Steele, Lea and Flood's SplitMix64: a tiny, fast, counter-style generator
/// whose output is a fixed function of its 64-bit state. It keys every shuffle
/// of the pipeline, so the same seed gives the same order on any machine.
struct SplitMix64 {
    /// The golden-ratio increment.
    static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    var state: UInt64

    /// The output function: a bijective 64-bit mix.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }

    /// A value in `0..<bound` by Lemire's multiply-high (no rejection; the
    /// bias is below `bound / 2^64`, i.e. nil for any real data set).
    mutating func next(below bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
