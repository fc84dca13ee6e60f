import CPUBudget
import Foundation

/// What to do when a sample fails to render (a corrupt or unsupported file).
public enum BadFilePolicy: String, Sendable, Equatable, Codable {
    /// Deliver every batch before the bad sample's batch, then throw its error.
    case fail
    /// Log the sample once, count it, and fill its slot with the next good
    /// sample of the epoch order (wrapping around), so batch shapes stay
    /// constant and the result does not depend on thread timing.
    case skip
}

/// How a `DataLoader` batches, orders and parallelises an epoch.
public struct LoaderOptions: Sendable, Equatable {
    /// Samples per batch (> 0).
    public var batchSize: Int = 32
    /// Shuffle each epoch (see `EpochOrder` for the derivation from `seed`).
    public var shuffle: Bool = true
    /// The user's seed: keys the shuffle (and, by convention, the renderer's augmentation).
    public var seed: UInt64 = 0
    /// Drop the last, smaller batch instead of delivering it.
    public var dropRemainder: Bool = false
    /// Deliver only this many batches per epoch (at most the batches available).
    public var stepsPerEpoch: Int?
    /// Parallel workers rendering samples (> 0); by default `ThreadPlan.automatic`'s loader
    /// workers (the process's CPU budget). Batches do not depend on it.
    public var workerCount: Int
    /// Batches that may be rendered ahead of the consumer (> 0); also the
    /// number of pooled batch buffers, so memory is `prefetchDepth` batches.
    public var prefetchDepth: Int = 2
    /// What a failing sample does.
    public var badFilePolicy: BadFilePolicy = .fail
    /// This process's share of each epoch; nil for all of it.
    public var shard: Shard?
    /// MixUp/CutMix on every batch (training batches only); nil leaves batches as rendered.
    public var batchMixing: BatchMixing?

    public init(batchSize: Int = 32, shuffle: Bool = true, seed: UInt64 = 0, dropRemainder: Bool = false,
                stepsPerEpoch: Int? = nil, workerCount: Int = ThreadPlan.automatic.loaderWorkers,
                prefetchDepth: Int = 2, badFilePolicy: BadFilePolicy = .fail, shard: Shard? = nil,
                batchMixing: BatchMixing? = nil) {
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.dropRemainder = dropRemainder
        self.stepsPerEpoch = stepsPerEpoch
        self.workerCount = workerCount
        self.prefetchDepth = prefetchDepth
        self.badFilePolicy = badFilePolicy
        self.shard = shard
        self.batchMixing = batchMixing
    }

    /// Bytes of the batch pool a loader with these options allocates for samples of
    /// `sampleSize` Floats: `prefetchDepth + 1` batch buffers and their slots' owners
    /// (see `BatchPool`), saturating at `Int.max` instead of overflowing.
    public func batchPoolBytes(sampleSize: Int) -> Int {
        let buffers = MemoryLimit.product([prefetchDepth + 1, batchSize, sampleSize, MemoryLayout<Float>.size])
        let owners = MemoryLimit.product([prefetchDepth, batchSize, MemoryLayout<Int>.size])
        let (total, overflow) = buffers.addingReportingOverflow(owners)
        return overflow ? .max : total
    }

    func validate() throws(DataPipelineError) {
        for (name, value) in [("batchSize", batchSize), ("workerCount", workerCount), ("prefetchDepth", prefetchDepth)]
        where value < 1 {
            throw DataPipelineError(.invalidArgument, message: "\(name) must be positive, got \(value)")
        }
        if let stepsPerEpoch, stepsPerEpoch < 0 {
            throw DataPipelineError(.invalidArgument, message: "stepsPerEpoch must not be negative, got \(stepsPerEpoch)")
        }
    }
}
