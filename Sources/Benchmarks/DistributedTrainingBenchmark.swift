import Distributed
import Foundation
import Training

/// `augment bench train` under `mpirun -np N`: the training rate of the
/// global batch split over the ranks, and what its gradient all-reduce costs.
public struct DistributedTrainingBenchmark {
    /// The models, batch sizes, steps and runs to measure.
    public let bench: TrainingBenchmark
    /// The ranks taking part.
    public let world: Communicator
    /// Whether buckets start during the backward pass.
    public let overlap: Bool
    /// Gradient bytes per all-reduce.
    public let bucketBytes: Int

    /// Measures `bench` over the ranks of `world`.
    public init(bench: TrainingBenchmark, world: Communicator, overlap: Bool, bucketBytes: Int) {
        self.bench = bench
        self.world = world
        self.overlap = overlap
        self.bucketBytes = bucketBytes
    }

    /// One measured row (rank 0's view; the other ranks wait for the same steps).
    public struct Row {
        /// The model measured.
        public var model: TrainingBenchmark.Model
        /// The global batch size (split over the ranks).
        public var batchSize: Int
        /// Samples per second of each run.
        public var runs: [Double]
        /// What each run's all-reduces cost.
        public var statistics: [ReductionStatistics]
    }

    /// Every (model, batch size) row, each run with a fresh reducer whose
    /// statistics count the timed steps only.
    public func run(progress: (Row) -> Void) throws {
        ThreadingPolicy.training(threads: bench.threads).apply()
        for kind in bench.models {
            for batchSize in bench.batchSizes {
                var row = Row(model: kind, batchSize: batchSize, runs: [], statistics: [])
                for _ in 0..<bench.runs {
                    let reducer = MPIGradientReducer(communicator: world, bucketBytes: bucketBytes, overlap: overlap)
                    let rate = try bench.trainingRate(kind, batchSize: batchSize, reducer: reducer) {
                        reducer.statistics = ReductionStatistics()
                    }
                    row.runs.append(rate.wall)
                    row.statistics.append(reducer.statistics)
                }
                progress(row)
            }
        }
    }
}
