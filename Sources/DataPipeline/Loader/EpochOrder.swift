/// The order in which an epoch visits the samples.
///
/// **Derivation** (stable across versions, platforms and worker counts):
/// the shuffle generator of epoch `e` is `SplitMix64(state: mix(seed ^ mix(e + 1)))`
/// with `mix` the SplitMix64 output function; it drives a Fisher–Yates
/// shuffle of `0..<count` that walks `i` from `count - 1` down to 1 and swaps
/// `i` with `next(below: i + 1)` (multiply-high). Without shuffling the order
/// is `0..<count`. Sharding then takes one contiguous block of this order.
public enum EpochOrder {
    /// The permutation of `0..<count` for `epoch`.
    ///
    /// - Complexity: O(count).
    public static func permutation(count: Int, seed: UInt64, epoch: Int, shuffle: Bool) -> [Int] {
        var order = Array(0..<count)
        guard shuffle, count > 1 else { return order }
        var generator = SplitMix64(state: SplitMix64.mix(seed ^ SplitMix64.mix(UInt64(truncatingIfNeeded: epoch) &+ 1)))
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, generator.next(below: i + 1))
        }
        return order
    }
}
