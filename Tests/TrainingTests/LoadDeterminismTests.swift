import Foundation
import Testing
import TestSupport
@testable import Training

/// Weights must not depend on how busy the machine is: the same thread count
/// gives the same bits idle and with other processes competing for the cores
/// (chunks are claimed dynamically, but their bounds and the order partial
/// sums are added in depend only on the work and the count).
@Suite(.serialized) struct LoadDeterminismTests {
    func train(threads: Int) throws -> [[Float]] {
        let model = try CourseModels.small(seed: 3)
        model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy())
        model.threading = .training(threads: threads)
        let batch = TrainingBenchmark.randomBatch(count: 32, seed: 4)
        try model.fit(x: batch.inputs, y: batch.targets, batchSize: 16, epochs: 2, verbose: .silent)
        return model.weightValues()
    }

    /// 1 is what `auto` resolves to on 2 cores beside 2 busy processes, 2 what it resolves to idle.
    @Test(arguments: [1, 2]) func sameWeightsIdleAndUnderLoad(threads: Int) throws {
        let idle = try train(threads: threads)
        let loaded = try withSpinningProcesses { try train(threads: threads) }
        #expect(loaded == idle)
    }
}
