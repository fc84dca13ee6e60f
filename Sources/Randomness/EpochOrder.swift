/// The order in which an epoch visits the samples: the one shuffle of the
/// package, used by the data loader and by in-memory batches alike.
///
/// **Derivation** (stable across versions, platforms and worker counts):
/// with shuffling, epoch `e` visits `CounterRandom([seed, e]).permutation(count:)`
/// (see ``CounterRandom`` for the generator and the Fisher–Yates walk); without
/// it, `0..<count`. Sharding then takes one contiguous block of this order.
///
/// ```swift
/// let order = EpochOrder.permutation(count: 10, seed: 42, epoch: 0, shuffle: true)
/// // [0, 3, 1, 7, 8, 2, 9, 6, 4, 5] on every machine
/// ```
public enum EpochOrder {
    /// The permutation of `0..<count` for `epoch`.
    ///
    /// - Complexity: O(count).
    public static func permutation(count: Int, seed: UInt64, epoch: Int, shuffle: Bool) -> [Int] {
        guard shuffle else { return Array(0..<count) }
        return CounterRandom([seed, UInt64(truncatingIfNeeded: epoch)]).permutation(count: count)
    }
}
