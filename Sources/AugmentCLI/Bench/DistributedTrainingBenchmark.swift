import Distributed
import Foundation
import Training

/// `augment bench train` under `mpirun -np N`: the training rate of the
/// global batch split over the ranks, and what its gradient all-reduce costs.
struct DistributedTrainingBenchmark {
    let bench: TrainingBenchmark
    let world: Communicator
    /// Whether buckets start during the backward pass.
    let overlap: Bool
    /// Gradient bytes per all-reduce.
    let bucketBytes: Int

    /// One measured row (rank 0's view; the other ranks wait for the same steps).
    struct Row {
        var model: TrainingBenchmark.Model
        var batchSize: Int
        var runs: [Double]
        var statistics: [ReductionStatistics]
    }

    /// Every (model, batch size) row, each run with a fresh reducer whose
    /// statistics count the timed steps only.
    func run(progress: (Row) -> Void) throws {
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
