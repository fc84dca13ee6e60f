import Foundation

/// One process's part of every epoch when several processes train together
/// under an external launcher (`torchrun`, `mpirun`, ...).
///
/// Every process computes the same epoch order (same seed) and keeps the
/// contiguous block `[index * n / count, (index + 1) * n / count)` of it, so
/// the shards of an epoch are disjoint, cover every sample, and differ in
/// size by at most one. Use `stepsPerEpoch` to give all ranks the same
/// number of steps when that matters to collective operations.
public struct Shard: Sendable, Equatable {
    /// This process's rank, in `0..<count`.
    public let index: Int
    /// The number of processes (world size).
    public let count: Int

    /// - Throws: `DataPipelineError.invalidArgument` unless `0 <= index < count`.
    public init(index: Int, count: Int) throws(DataPipelineError) {
        guard count > 0, (0..<count).contains(index) else {
            throw DataPipelineError(.invalidArgument, message: "shard \(index) of \(count) is out of range")
        }
        self.index = index
        self.count = count
    }

    /// Rank and world size from `RANK`/`WORLD_SIZE` (torchrun and most
    /// launchers) or else `OMPI_COMM_WORLD_RANK`/`OMPI_COMM_WORLD_SIZE` (Open MPI).
    ///
    /// - Throws: `DataPipelineError.invalidArgument` when neither pair is set
    ///   completely or a value is not a valid integer.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(DataPipelineError) -> Shard {
        for (rankKey, sizeKey) in [("RANK", "WORLD_SIZE"), ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE")] {
            guard let rankText = environment[rankKey], let sizeText = environment[sizeKey] else { continue }
            guard let rank = Int(rankText), let size = Int(sizeText) else {
                throw DataPipelineError(.invalidArgument,
                                        message: "\(rankKey)=\"\(rankText)\", \(sizeKey)=\"\(sizeText)\" are not integers")
            }
            return try Shard(index: rank, count: size)
        }
        throw DataPipelineError(.invalidArgument,
                                message: "no rank in the environment (set RANK and WORLD_SIZE, or OMPI_COMM_WORLD_RANK and OMPI_COMM_WORLD_SIZE)")
    }

    /// This shard's block of positions among `total`.
    public func range(of total: Int) -> Range<Int> {
        (index * total / count)..<((index + 1) * total / count)
    }
}
