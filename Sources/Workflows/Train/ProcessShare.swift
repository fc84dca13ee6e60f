import DataPipeline
import Training

/// One process's share of a data-parallel run: its slice of every global
/// batch (`Shard.Layout.globalBatches`) of the same epoch order.
public struct ProcessShare: Sendable, Equatable {
    /// This process's rank and the process count.
    public let shard: Shard

    /// The share of `reducer`'s process; nil for a single process.
    public init?(_ reducer: any GradientReducer) throws {
        guard reducer.processCount > 1 else { return nil }
        shard = try Shard(index: reducer.rank, count: reducer.processCount, layout: .globalBatches)
    }

    /// Each process's part of a global batch of `batch`.
    /// - Throws: ``WorkflowError`` naming `key` when `batch` does not divide evenly.
    public func localBatch(of batch: Int, key: String) throws -> Int {
        guard batch % shard.count == 0 else {
            throw WorkflowError("\(key) is \(batch), which does not split evenly over \(shard.count) processes: "
                                + "use a multiple of \(shard.count) (it is the global batch)")
        }
        return batch / shard.count
    }
}
