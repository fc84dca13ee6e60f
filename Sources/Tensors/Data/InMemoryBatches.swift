import Randomness

/// Batches cut from whole in-memory tensors, optionally reshuffled per epoch.
///
/// The order of epoch `e` is the data loader's: `EpochOrder.permutation` of
/// (seed, e); the last batch may be smaller, as in Keras.
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
        EpochOrder.permutation(count: sampleCount, seed: seed, epoch: epoch, shuffle: shuffle)
    }

    /// The batches of one epoch, gathered lazily (one batch in memory at a time).
    public func batches(epoch: Int) -> LazyMapSequence<StrideTo<Int>, Batch> {
        batches(epoch: epoch, from: 0)
    }

    /// The batches of one epoch from batch `firstBatch` on.
    public func batches(epoch: Int, from firstBatch: Int) -> LazyMapSequence<StrideTo<Int>, Batch> {
        let order = order(epoch: epoch)
        let (inputs, targets, batchSize, sampleCount) = (inputs, targets, batchSize, sampleCount)
        return stride(from: min(firstBatch * batchSize, sampleCount), to: sampleCount, by: batchSize).lazy.map { start in
            let indices = Array(order[start..<min(start + batchSize, sampleCount)])
            return Batch(inputs: inputs.gathering(indices), targets: targets.gathering(indices))
        }
    }
}
