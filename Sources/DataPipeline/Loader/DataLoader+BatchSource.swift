import Tensors

/// A loader is `Training.fit`'s per-epoch batch source: each epoch is
/// `loader.epoch(e)`, and a bad file under `.fail` reaches `fit` through
/// ``finish(_:)`` once the batches before it have been trained on.
extension DataLoader: BatchSource {
    public func batches(epoch: Int) -> EpochRun { self.epoch(epoch) }

    public func batches(epoch: Int, from firstBatch: Int) -> EpochRun { self.epoch(epoch, from: firstBatch) }

    public var batchesPerEpoch: Int? { batchCount }

    public func finish(_ batches: EpochRun) throws {
        _ = try batches.finish()
    }
}
