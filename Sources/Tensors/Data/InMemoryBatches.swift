/// Batches cut from whole in-memory tensors, optionally reshuffled per epoch.
///
/// The order of epoch `e` is a Fisher–Yates shuffle driven by
/// `CounterRandom.key([seed, e])`; the last batch may be smaller, as in Keras.
///
/// ```swift
/// let source = InMemoryBatches(inputs: x, targets: y, batchSize: 32, shuffle: true, seed: 1)
/// for batch in source.batches(epoch: 0) { print(batch.count) }
/// ```
public struct InMemoryBatches: BatchSource, Sendable {
    public let inputs: Tensor
    public let targets: Tensor
    public let batchSize: Int
    public let shuffle: Bool
    public let seed: UInt64

    /// `inputs` and `targets` share their first axis; `batchSize` ≥ 1.
    public init(inputs: Tensor, targets: Tensor, batchSize: Int, shuffle: Bool = false, seed: UInt64 = 0) {
        precondition(batchSize >= 1, "batch size must be at least 1, got \(batchSize)")
        precondition(inputs.shape.first == targets.shape.first,
                     "inputs have \(inputs.shape.first ?? 0) samples, targets \(targets.shape.first ?? 0)")
        self.inputs = inputs
        self.targets = targets
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
    }

    /// Number of samples.
    public var sampleCount: Int { inputs.shape.first ?? 0 }

    public var batchesPerEpoch: Int? { (sampleCount + batchSize - 1) / batchSize }

    /// The sample order of one epoch.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<sampleCount)
        guard shuffle, sampleCount > 1 else { return order }
        let key = CounterRandom.key([seed, UInt64(epoch)])
        for i in stride(from: sampleCount - 1, to: 0, by: -1) {
            let j = Int(CounterRandom.bits(key: key, counter: UInt64(i)) % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }

    /// The batches of one epoch, gathered lazily (one batch in memory at a time).
    public func batches(epoch: Int) -> LazyMapSequence<StrideTo<Int>, Batch> {
        let order = order(epoch: epoch)
        let (inputs, targets, batchSize, sampleCount) = (inputs, targets, batchSize, sampleCount)
        return stride(from: 0, to: sampleCount, by: batchSize).lazy.map { start in
            let indices = Array(order[start..<min(start + batchSize, sampleCount)])
            return Batch(inputs: inputs.gathering(indices), targets: targets.gathering(indices))
        }
    }
}
