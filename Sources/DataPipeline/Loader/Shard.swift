import Foundation

/// One process's part of every epoch when several processes train together
/// under an external launcher (`torchrun`, `mpirun`, ...).
///
/// Every process computes the same epoch order (same seed) and keeps its part
/// of it, as ``layout`` says: a contiguous block (``Layout/blocks``, for
/// loading alone), or its slice of every global batch
/// (``Layout/globalBatches``, for data-parallel training: the shards'
/// batches together are one process's batches, and every shard has the same
/// number of batches, so no process waits for another at the end of an epoch).
///
/// ```swift
/// var options = LoaderOptions(batchSize: 16, seed: 1)   // 16 per process
/// options.shard = try Shard(index: rank, count: 4, layout: .globalBatches)  // global batch 64
/// ```
public struct Shard: Sendable, Equatable {
    /// This process's rank, in `0..<count`.
    public let index: Int
    /// The number of processes (world size).
    public let count: Int
    /// How the shard cuts the epoch order.
    public let layout: Layout

    /// How shards share an epoch order of `n` positions.
    public enum Layout: Sendable, Equatable {
        /// Shard `i` keeps `[i·n/count, (i+1)·n/count)`: disjoint blocks that
        /// cover every sample and differ in size by at most one.
        case blocks
        /// With local batch `b` and global batch `B = count·b`, shard `i` keeps
        /// `[k·B + i·b, k·B + (i+1)·b)` of every global batch `k`: the last,
        /// partial global batch fills the shards in rank order, so a shard's
        /// last batch may be smaller or empty, but every shard has
        /// `⌈n/B⌉` batches (`⌊n/B⌋` when the remainder is dropped).
        case globalBatches
    }

    /// - Throws: `DataPipelineError.invalidArgument` unless `0 <= index < count`.
    public init(index: Int, count: Int, layout: Layout = .blocks) throws(DataPipelineError) {
        guard count > 0, (0..<count).contains(index) else {
            throw DataPipelineError(.invalidArgument, message: "shard \(index) of \(count) is out of range")
        }
        self.index = index
        self.count = count
        self.layout = layout
    }

    /// Rank and world size from `RANK`/`WORLD_SIZE` (torchrun and most
    /// launchers), else `OMPI_COMM_WORLD_RANK`/`OMPI_COMM_WORLD_SIZE` (Open
    /// MPI), else `SLURM_PROCID`/`SLURM_NTASKS` (Slurm's `srun`).
    ///
    /// - Throws: `DataPipelineError.invalidArgument` when no pair is set
    ///   completely or a value is not a valid integer.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       layout: Layout = .blocks) throws(DataPipelineError) -> Shard {
        for (rankKey, sizeKey) in [("RANK", "WORLD_SIZE"), ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"),
                                   ("SLURM_PROCID", "SLURM_NTASKS")] {
            guard let rankText = environment[rankKey], let sizeText = environment[sizeKey] else { continue }
            guard let rank = Int(rankText), let size = Int(sizeText) else {
                throw DataPipelineError(.invalidArgument,
                                        message: "\(rankKey)=\"\(rankText)\", \(sizeKey)=\"\(sizeText)\" are not integers")
            }
            return try Shard(index: rank, count: size, layout: layout)
        }
        throw DataPipelineError(.invalidArgument, message: "no rank in the environment (set RANK and WORLD_SIZE, "
                                + "OMPI_COMM_WORLD_RANK and OMPI_COMM_WORLD_SIZE, or SLURM_PROCID and SLURM_NTASKS)")
    }

    /// This shard's block of positions among `total` (``Layout/blocks``).
    public func range(of total: Int) -> Range<Int> {
        (index * total / count)..<((index + 1) * total / count)
    }

    /// The batches of `localBatch` samples this shard delivers per epoch of
    /// `total` samples (the same on every shard under ``Layout/globalBatches``).
    public func batchCount(of total: Int, localBatch: Int, dropRemainder: Bool) -> Int {
        switch layout {
        case .blocks:
            let samples = range(of: total).count
            return dropRemainder ? samples / localBatch : (samples + localBatch - 1) / localBatch
        case .globalBatches:
            let global = localBatch * count
            return dropRemainder ? total / global : (total + global - 1) / global
        }
    }

    /// The epoch positions of this shard's batches among `total`, in delivery
    /// order: one range per batch of (at most) `localBatch` samples.
    public func batches(of total: Int, localBatch: Int) -> [Range<Int>] {
        switch layout {
        case .blocks:
            let block = range(of: total)
            return stride(from: block.lowerBound, to: block.upperBound, by: localBatch).map {
                $0..<min($0 + localBatch, block.upperBound)
            }
        case .globalBatches:
            let global = localBatch * count
            return stride(from: 0, to: total, by: global).map { start in
                let lower = min(start + index * localBatch, total)
                return lower..<min(lower + localBatch, total)
            }
        }
    }
}
