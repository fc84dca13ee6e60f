import Foundation
import Benchmarks
import Testing
@testable import Training

/// Weights must not depend on how busy the machine is: the same thread count
/// gives the same bits idle and with other processes competing for the cores
/// (chunks are claimed dynamically, but their bounds and the order partial
/// sums are added in depend only on the work and the count).
@Suite struct LoadDeterminismTests {
    func train() throws -> [[Float]] {
        let model = try CourseModels.small(seed: 3)
        model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy())
        model.threading = .training(threads: 2)
        let batch = TrainingBenchmark.randomBatch(count: 32, seed: 4)
        try model.fit(x: batch.inputs, y: batch.targets, batchSize: 16, epochs: 2, verbose: .silent)
        return model.weightValues()
    }

    /// Two `yes > /dev/null`, killed when `body` returns. SIGKILL, because a child started from a
    /// test's thread inherits its blocked signals, SIGTERM among them.
    func withBusyProcesses<T>(_ body: () throws -> T) throws -> T {
        let busy = try (0..<2).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/yes")
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        defer {
            for process in busy { kill(process.processIdentifier, SIGKILL) }
            for process in busy { process.waitUntilExit() }
        }
        return try body()
    }

    @Test func sameWeightsIdleAndUnderLoad() throws {
        let idle = try train()
        let loaded = try withBusyProcesses { try train() }
        #expect(loaded == idle)
    }
}
