import Benchmarks
import Testing
@testable import Applications
@testable import Training

/// `augment bench model`'s measurement: each mode runs and reports one rate
/// per run, the frozen mode puts the course's head on a frozen base, and bad
/// counts are typed errors.
@Suite struct ApplicationBenchmarkTests {
    @Test func everyModeRuns() throws {
        let bench = try ApplicationBenchmark(application: .mobileNetV2, size: 32, batch: 2, steps: 1, warmup: 1, runs: 2)
        for mode in ApplicationBenchmark.Mode.allCases {
            let rates = try bench.rates(mode)
            #expect(rates.count == 2 && rates.allSatisfy { $0 > 0 }, "\(mode)")
        }
        let frozen = try bench.makeModel(.frozen)
        #expect(frozen.outputShape == [10])
        #expect(frozen.trainableParameters.count == 4)  // the two Dense layers of the head
        let whole = try bench.makeModel(.train)
        #expect(whole.outputShape == [1000])
        // Weights larger than the inference working set: whole batches, not cache-sized sub-batches.
        #expect(whole.inferenceSubBatch(for: 32) == 32)
    }

    @Test func badCountsAreTypedErrors() {
        #expect(throws: TrainingError.self) { try ApplicationBenchmark(application: .resnet50, batch: 0) }
        #expect(throws: TrainingError.self) { try ApplicationBenchmark(application: .resnet50, warmup: -1) }
    }
}
