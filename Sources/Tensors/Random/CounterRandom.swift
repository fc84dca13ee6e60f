/// A counter-based random generator: every value is a pure function of a
/// key and a counter, so no state is shared between threads or layers.
///
/// The mixing function is SplitMix64's finaliser. Keys are built by folding
/// the user's seed with stream identifiers through ``key(_:)``:
///
/// ```swift
/// let key = CounterRandom.key([seed, 7 /* layer */, 3 /* step */])
/// let u = CounterRandom.uniform(key: key, counter: 42) // in [0, 1)
/// ```
public enum CounterRandom {
    /// SplitMix64's output function applied to `x`.
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Folds a list of identifiers (seed first) into one stream key.
    public static func key(_ parts: [UInt64]) -> UInt64 {
        parts.reduce(0x6A09_E667_F3BC_C908) { mix($0 ^ mix($1)) }
    }

    /// The raw 64 random bits at `counter` in the stream `key`.
    @inline(__always)
    public static func bits(key: UInt64, counter: UInt64) -> UInt64 {
        mix(key ^ mix(counter))
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    @inline(__always)
    public static func uniform(key: UInt64, counter: UInt64) -> Float {
        Float(bits(key: key, counter: counter) >> 40) * (1.0 / 16_777_216.0)
    }
}
