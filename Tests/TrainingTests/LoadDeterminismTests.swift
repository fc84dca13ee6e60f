import Foundation
import Benchmarks
import Testing
import TestSupport
@testable import Training

/// Weights must not depend on how busy the machine is: the same thread count
/// gives the same bits idle and with other processes competing for the cores
/// (chunks are claimed dynamically, but their bounds and the order partial
/// sums are added in depend only on the work and the count).
@Suite struct LoadDeterminismTests {
    func train(threads: Int) throws -> [[Float]] {
        let model = try CourseModels.small(seed: 3)
        model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy())
        model.threading = .training(threads: threads)
        let batch = TrainingBenchmark.randomBatch(count: 32, seed: 4)
        try model.fit(x: batch.inputs, y: batch.targets, batchSize: 16, epochs: 2, verbose: .silent)
        return model.weightValues()
    }

    /// 2 threads, the count every other suite's training runs with: the count is process-wide.
    @Test func sameWeightsIdleAndUnderLoad() throws {
        let idle = try train(threads: 2)
        let loaded = try withSpinningProcesses { try train(threads: 2) }
        #expect(loaded == idle)
    }
}
