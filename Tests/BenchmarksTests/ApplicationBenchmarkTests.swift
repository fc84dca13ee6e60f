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
        #expect(whole.inferenceSubBatch(for: 32) == 32)  // 16×16×96 activations: 32 samples fit the working set
        // At 224×224: ResNet50's 100 MB of weights stream from memory once per sub-batch, so its sub-batches hold
        // 16 samples of its widest activation (3.2 MB a sample, within 64 MB); MobileNetV2's 14 MB stay in cache
        // and its 112×112×96 activations (4.8 MB a sample) run one sample at a time.
        let resnet = try Application.resnet50.model(ApplicationOptions(inputShape: [224, 224, 3]))
        #expect(resnet.inferenceSubBatch(for: 32) == 16)
        #expect(resnet.inferenceSubBatch(for: 12) == 12)
        let mobile = try Application.mobileNetV2.model(ApplicationOptions(inputShape: [224, 224, 3]))
        #expect(mobile.inferenceSubBatch(for: 32) == 1)
    }

    @Test func badCountsAreTypedErrors() {
        #expect(throws: TrainingError.self) { try ApplicationBenchmark(application: .resnet50, batch: 0) }
        #expect(throws: TrainingError.self) { try ApplicationBenchmark(application: .resnet50, warmup: -1) }
    }
}
