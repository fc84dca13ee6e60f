/// The package's one random generator: counter-based, so every value is a pure
/// function of a stream key and a counter. No state is shared between threads,
/// workers, layers or processes, and any single draw can be replayed alone.
///
/// **Derivation** (stable across versions, platforms and thread counts):
/// - `mix` is SplitMix64's output function (Stafford's mix13 after adding the
///   golden-ratio increment `0x9E3779B97F4A7C15`);
/// - a stream's key folds its identifiers, the user's seed first:
///   `key = parts.reduce(0x6A09E667F3BCC908) { mix($0 ^ mix($1)) }`;
/// - draw `c` of the stream is `bits(c) = mix(key ^ mix(c))`.
///
/// Every derived value comes from `bits`: ``unit(_:)`` takes the top 53 bits,
/// ``below(_:_:)`` multiplies high (Lemire), ``permutation(count:)`` is a
/// Fisher–Yates shuffle driven by `below`. `scripts/counter_random_reference.py`
/// is an independent implementation that the tests' golden values come from.
///
/// ```swift
/// let random = CounterRandom([seed, UInt64(epoch), UInt64(index)])
/// let angle = random.uniform(0, -20, 20)     // draw 0, in [-20, 20)
/// let flip = random.unit(1) < 0.5            // draw 1
/// ```
public struct CounterRandom: Sendable, Hashable {
    /// The stream key: every draw of the stream is a function of it and the counter.
    public let key: UInt64

    /// The stream with a precomputed key (see ``key(_:)``).
    public init(key: UInt64) {
        self.key = key
    }

    /// The stream identified by `parts`, the seed first (for example
    /// `[seed, epoch, sampleIndex]`).
    public init(_ parts: [UInt64]) {
        self.init(key: Self.key(parts))
    }

    /// SplitMix64's output function applied to `x`: a bijective avalanche of 64 bits.
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

    /// The raw 64 random bits at `counter` in the stream `key`
    /// (the same as `CounterRandom(key: key).bits(counter)`).
    @inline(__always)
    public static func bits(key: UInt64, counter: UInt64) -> UInt64 {
        mix(key ^ mix(counter))
    }

    /// A uniform `Float` in [0, 1) with 24 random bits at `counter` in the stream `key`.
    @inline(__always)
    public static func uniform(key: UInt64, counter: UInt64) -> Float {
        Float(bits(key: key, counter: counter) >> 40) * 0x1p-24
    }

    /// The raw 64 random bits of draw `counter`.
    @inline(__always)
    public func bits(_ counter: UInt64) -> UInt64 {
        Self.bits(key: key, counter: counter)
    }

    /// A uniform `Double` in [0, 1) with 53 random bits, from draw `counter`.
    @inline(__always)
    public func unit(_ counter: UInt64) -> Double {
        Double(bits(counter) >> 11) * 0x1p-53
    }

    /// A uniform `Double` in [low, high) from draw `counter`.
    @inline(__always)
    public func uniform(_ counter: UInt64, _ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit(counter)
    }

    /// A uniform integer in [0, n) from draw `counter` (n > 0), by Lemire's
    /// multiply-high without rejection: the bias is below n / 2⁶⁴.
    @inline(__always)
    public func below(_ counter: UInt64, _ n: Int) -> Int {
        precondition(n > 0, "below needs a positive bound, got \(n)")
        return Int(bits(counter).multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A uniformly random permutation of `0..<count`: Fisher–Yates walking `i`
    /// from `count - 1` down to 1 and swapping `i` with `below(i, i + 1)`.
    ///
    /// - Complexity: O(count).
    public func permutation(count: Int) -> [Int] {
        var order = Array(0..<count)
        guard count > 1 else { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, below(UInt64(i), i + 1))
        }
        return order
    }
}
