import Foundation
import Testing
@testable import DataPipeline

/// Renders like `SyntheticRenderer` after `delay` microseconds, and records which threads rendered.
final class ThreadRecordingRenderer: SampleRenderer, @unchecked Sendable {
    let sampleShape = [2, 3, 1]
    let delay: UInt32
    private let lock = NSLock()
    private var threads = Set<UInt>()

    init(delay: UInt32) { self.delay = delay }

    func render(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws {
        lock.withLock { _ = threads.insert(UInt(pthread_self())) }
        if delay > 0 { usleep(delay) }
        for element in slot.indices { slot[element] = SyntheticRenderer.value(index: index, epoch: epoch, element: element) }
    }

    var threadCount: Int { lock.withLock { threads.count } }
}

@Suite(.timeLimit(.minutes(1))) struct WorkerGrowthTests {
    func options(workers: Int?) -> LoaderOptions {
        LoaderOptions(batchSize: 2, shuffle: true, seed: 7, workerCount: workers, prefetchDepth: 2)
    }

    @Test func autoWorkersGrowUpToTheLimit() {
        let automatic = LoaderOptions()
        #expect(automatic.growsWorkers)
        #expect(automatic.workerCount >= 1)
        #expect(!LoaderOptions(workerCount: 3).growsWorkers)
    }

    @Test func growingWorkersDeliverTheSameBatches() throws {
        let fixed = try DataLoader(source: IndexSource(count: 31), renderer: SyntheticRenderer(jitter: true),
                                   options: options(workers: 1))
        var growing = options(workers: 4)
        growing.growsWorkers = true
        let grown = try DataLoader(source: IndexSource(count: 31), renderer: SyntheticRenderer(jitter: true),
                                   options: growing)
        #expect(Array(grown.epoch(2)) == Array(fixed.epoch(2)))
    }

    /// A consumer slower than one worker leaves the other workers asleep.
    @Test func aLoaderThatKeepsUpStaysOnOneWorker() throws {
        let renderer = ThreadRecordingRenderer(delay: 0)
        var growing = options(workers: 4)
        growing.growsWorkers = true
        let loader = try DataLoader(source: IndexSource(count: 24), renderer: renderer, options: growing)
        for _ in loader.epoch(0) { usleep(20_000) }
        #expect(renderer.threadCount == 1)
    }

    /// A consumer that always waits makes the loader add workers.
    @Test func aLoaderThatFallsBehindAddsWorkers() throws {
        let renderer = ThreadRecordingRenderer(delay: 2_000)
        var growing = options(workers: 4)
        growing.growsWorkers = true
        let loader = try DataLoader(source: IndexSource(count: 80), renderer: renderer, options: growing)
        #expect(Array(loader.epoch(0)).count == 40)
        #expect(renderer.threadCount > 1)
    }
}
