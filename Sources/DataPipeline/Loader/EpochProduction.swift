import Augmentation
import Dispatch
import Augmentation
import Foundation
import Tensors

/// The engine behind one epoch: `workerCount` Dispatch work items claim
/// positions of the epoch order one at a time, render them into slots of a
/// `BatchPool`, and one consumer takes completed batches strictly in order.
///
/// One `NSCondition` guards all mutable state. Workers may only claim a
/// position whose batch lies within `prefetchDepth` batches of the consumer
/// (the window); otherwise they sleep on the condition, which gives
/// back-pressure without busy waiting. The consumer takes a finished batch's
/// buffer as the batch's storage (the pool swaps in another) before the window
/// moves past it, so a buffer is never written while it is read. Single consumer.
///
/// With batch mixing, a batch counts one more step than its samples: the worker that completes
/// its last sample mixes the whole buffer in place (outside the lock: no other worker writes a
/// complete batch, and the consumer waits for that step), then completes the step.
final class EpochProduction: @unchecked Sendable {
    enum Outcome {
        case batch(Batch)
        case finished
        case failed(any Error)
        case cancelled
    }

    private enum State { case running, finished, failed(any Error), cancelled }
    private enum Step { case deliver(batch: Int, owners: [Int], targets: [SampleTargets?]), done(Outcome) }

    private let plan: EpochPlan
    private let source: any SampleSource
    private let renderer: any SampleRenderer
    /// The renderer when its samples carry targets: they are stacked into `Batch.annotations`.
    private let annotating: (any AnnotatingRenderer)?
    private let sampleShape: [Int]
    private let policy: BadFilePolicy
    private let registry: BadSampleRegistry
    private let queue: DispatchQueue
    private let workerCount: Int
    private let pool: BatchPool
    private let mixing: BatchMixing?
    /// The batch's image shape when mixing (`count` set per batch).
    private let mixShape: BatchShape?
    private let condition = NSCondition()
    /// Where a failure the `Sequence` API cannot throw is reported.
    let log: @Sendable (String) -> Void

    // Guarded by `condition`.
    private var state = State.running
    private var started = false
    private var nextPosition = 0
    private var delivered = 0
    private var deliveredSamples = 0
    private var completedSlots: [Int]
    private var failedBatch = Int.max
    private var firstFailure: (position: Int, error: any Error)?
    private var skipped: [Int: String] = [:]
    /// The moved targets of each slot of each pool buffer (annotating renderers only).
    private var slotTargets: [SampleTargets?]
    private var waiter: CheckedContinuation<Void, Never>?
    private var waitSeconds = 0.0

    init(plan: EpochPlan, source: any SampleSource, renderer: any SampleRenderer, options: LoaderOptions,
         registry: BadSampleRegistry, queue: DispatchQueue, log: @escaping @Sendable (String) -> Void) {
        self.plan = plan
        self.log = log
        self.source = source
        self.renderer = renderer
        self.annotating = (renderer as? any AnnotatingRenderer).flatMap { $0.annotationCollator == nil ? nil : $0 }
        self.slotTargets = Array(repeating: nil, count: annotating == nil ? 0 : options.prefetchDepth * plan.batchSize)
        self.sampleShape = renderer.sampleShape
        self.policy = options.badFilePolicy
        self.registry = registry
        self.queue = queue
        self.workerCount = options.workerCount
        self.pool = BatchPool(depth: options.prefetchDepth, batchSize: plan.batchSize,
                              sampleSize: renderer.sampleShape.reduce(1, *))
        self.completedSlots = Array(repeating: 0, count: plan.batchCount)
        self.mixing = options.batchMixing
        // DataLoader.init has checked the shape and targets.
        self.mixShape = try? options.batchMixing?.batchShape(sampleShape: renderer.sampleShape, source: source)
        delivered = plan.firstBatch
        nextPosition = plan.firstBatch * plan.batchSize
    }

    // MARK: Consumer side

    /// Blocks until the next batch (or the end) is ready.
    func nextBlocking() -> Outcome {
        condition.lock()
        startLocked()
        let start = DispatchTime.now()
        while !consumerReadyLocked() { condition.wait() }
        condition.unlock()
        return takeAfterWait(since: start)
    }

    /// Suspends (without blocking a thread) until the next batch is ready.
    func next() async -> Outcome {
        let start = DispatchTime.now()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                condition.lock()
                startLocked()
                if consumerReadyLocked() {
                    condition.unlock()
                    continuation.resume()
                } else {
                    waiter = continuation
                    condition.unlock()
                }
            }
        } onCancel: {
            cancel()
        }
        return takeAfterWait(since: start)
    }

    private func takeAfterWait(since start: DispatchTime) -> Outcome {
        condition.lock()
        waitSeconds += Self.seconds(since: start)
        let step = stepLocked()
        condition.unlock()
        return finish(step)
    }

    /// Stops the workers after their current sample; no effect once the epoch ended.
    func cancel() {
        condition.lock()
        if case .running = state { state = .cancelled }
        let pending = waiter
        waiter = nil
        condition.broadcast()
        condition.unlock()
        pending?.resume()
    }

    /// The error that ended the epoch, if one did.
    var failure: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        if case .failed(let error) = state { return error }
        return nil
    }

    var epoch: Int { plan.epoch }

    func summary() -> EpochSummary {
        condition.lock()
        defer { condition.unlock() }
        let skippedSamples = skipped.keys.sorted().map { EpochSummary.SkippedSample(index: $0, reason: skipped[$0]!) }
        return EpochSummary(epoch: plan.epoch, batchCount: delivered - plan.firstBatch, sampleCount: deliveredSamples,
                            skipped: skippedSamples, waitSeconds: waitSeconds)
    }

    private func consumerReadyLocked() -> Bool {
        guard case .running = state, delivered < plan.batchCount else { return true }
        return completedSlots[delivered] == stepsToComplete(delivered)
    }

    /// A batch is complete after its samples and, when mixing, the mixing step.
    private func stepsToComplete(_ batch: Int) -> Int {
        plan.positions(ofBatch: batch).count + (mixing == nil ? 0 : 1)
    }

    private func stepLocked() -> Step {
        switch state {
        case .finished: return .done(.finished)
        case .failed(let error): return .done(.failed(error))
        case .cancelled: return .done(.cancelled)
        case .running: break
        }
        if delivered >= plan.batchCount {
            state = .finished
            return .done(.finished)
        }
        if delivered == failedBatch, let firstFailure {
            state = .failed(firstFailure.error)
            condition.broadcast()
            return .done(.failed(firstFailure.error))
        }
        let count = plan.positions(ofBatch: delivered).count
        let start = (delivered % pool.depth) * plan.batchSize
        return .deliver(batch: delivered, owners: Array(pool.owners(batch: delivered, count: count)),
                        targets: slotTargets.isEmpty ? [] : Array(slotTargets[start ..< start + count]))
    }

    private func finish(_ step: Step) -> Outcome {
        switch step {
        case .done(let outcome):
            return outcome
        case .deliver(let batch, let owners, let targets):
            // Outside the lock: no worker touches this buffer until `delivered` moves past it,
            // and taking it may copy (see BatchPool).
            var result = makeBatch(pool.takeInputs(batch: batch, count: owners.count), owners: owners, batch: batch)
            result.epochPosition = plan.epochPositions[batch]
            if let collator = annotating?.annotationCollator {
                do {
                    result.annotations = try collator.collate(targets.map { $0 ?? SampleTargets() })
                } catch {
                    condition.lock()
                    state = .failed(error)
                    condition.broadcast()
                    condition.unlock()
                    return .failed(error)
                }
            }
            condition.lock()
            delivered += 1
            deliveredSamples += owners.count
            condition.broadcast()
            condition.unlock()
            return .batch(result)
        }
    }

    private func makeBatch(_ storage: [Float], owners: [Int], batch: Int) -> Batch {
        let inputs = Tensor(shape: [owners.count] + sampleShape, storage: storage)
        let weights = source.sampleWeights.map { weights in
            Tensor(shape: [owners.count], storage: owners.map { weights[$0] })
        }
        if let mixing, let mixShape {
            let mix = mixing.mix(epoch: plan.epoch, epochPosition: plan.epochPositions[batch], shape: mixShape)
            return Batch(inputs: inputs, targets: mixing.targets(of: owners, source: source, mix: mix), sampleWeights: weights)
        }
        switch source.classMode {
        case .input:
            return Batch(inputs: inputs, targets: inputs, sampleWeights: weights)
        case .none:
            return Batch(inputs: inputs, targets: Tensor(shape: [owners.count, 0]), sampleWeights: weights)
        case .categorical, .binary, .sparse, .raw:
            let table = source.targets
            let width = table.rowCount
            var values: [Float] = []
            values.reserveCapacity(owners.count * width)
            for owner in owners { values += table.values[owner * width ..< (owner + 1) * width] }
            return Batch(inputs: inputs, targets: Tensor(shape: [owners.count] + table.rowShape, storage: values),
                         sampleWeights: weights)
        }
    }

    // MARK: Worker side

    private func startLocked() {
        guard !started else { return }
        started = true
        for _ in 0..<min(workerCount, max(plan.positionCount, 1)) {
            queue.async { self.runWorker() }
        }
    }

    private func runWorker() {
        while let (position, slot) = claim() {
            let batch = position / plan.batchSize
            let slotIndex = position % plan.batchSize
            let result = renderSlot(position: position, into: slot)
            complete(position: position, batch: batch, slotIndex: slotIndex, result: result)
        }
    }

    /// The next position to render and its slot, or nil when the worker should stop.
    private func claim() -> (Int, UnsafeMutableBufferPointer<Float>)? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            guard case .running = state else { return nil }
            let end = failedBatch == Int.max
                ? plan.positionCount : min(plan.positionCount, (failedBatch + 1) * plan.batchSize)
            guard nextPosition < end else { return nil }
            let batch = nextPosition / plan.batchSize
            if batch < delivered + pool.depth {
                defer { nextPosition += 1 }
                return (nextPosition, pool.slot(batch: batch, index: nextPosition % plan.batchSize))
            }
            condition.wait()
        }
    }

    private struct SlotResult {
        var sample: Int
        var skippedReason: String?
        var error: (any Error)?
        var targets: SampleTargets?
    }

    /// Renders `sample` into `slot`, with its moved targets when the renderer has them.
    private func render(_ sample: Int, into slot: UnsafeMutableBufferPointer<Float>) throws -> SampleTargets? {
        guard let annotating else {
            try renderer.render(sample: sample, epoch: plan.epoch, into: slot)
            return nil
        }
        return try annotating.renderAnnotated(sample: sample, epoch: plan.epoch, into: slot)
    }

    /// Renders the sample at `position`; under `.skip`, falls back on the
    /// following positions of the epoch order (wrapping) until one renders.
    private func renderSlot(position: Int, into slot: UnsafeMutableBufferPointer<Float>) -> SlotResult {
        let own = plan.order[position]
        if policy == .skip, let reason = registry.reason(for: own) {
            return substitute(for: position, into: slot, reason: reason)
        }
        do {
            return SlotResult(sample: own, targets: try render(own, into: slot))
        } catch {
            guard policy == .skip else { return SlotResult(sample: own, error: error) }
            let reason = String(describing: error)
            registry.record(own, reason: reason)
            return substitute(for: position, into: slot, reason: reason)
        }
    }

    private func substitute(for position: Int, into slot: UnsafeMutableBufferPointer<Float>, reason: String) -> SlotResult {
        let own = plan.order[position]
        for step in 1..<max(plan.order.count, 1) {
            let candidate = plan.order[(position + step) % plan.order.count]
            if registry.isKnownBad(candidate) { continue }
            do {
                let targets = try render(candidate, into: slot)
                return SlotResult(sample: candidate, skippedReason: reason, targets: targets)
            } catch {
                registry.record(candidate, reason: String(describing: error))
            }
        }
        let error = DataPipelineError(.noUsableSample,
                                      message: "epoch \(plan.epoch): no sample of the \(plan.order.count) renders (first: \(reason))")
        return SlotResult(sample: own, skippedReason: reason, error: error)
    }

    private func complete(position: Int, batch: Int, slotIndex: Int, result: SlotResult) {
        condition.lock()
        pool.setOwner(batch: batch, index: slotIndex, sample: result.sample)
        if !slotTargets.isEmpty { slotTargets[(batch % pool.depth) * plan.batchSize + slotIndex] = result.targets }
        if let reason = result.skippedReason { skipped[plan.order[position]] = reason }
        if let error = result.error, position < (firstFailure?.position ?? Int.max) {
            firstFailure = (position, error)
            failedBatch = min(failedBatch, batch)
        }
        completedSlots[batch] += 1
        let count = plan.positions(ofBatch: batch).count
        let samples = mixing != nil && completedSlots[batch] == count ? pool.samples(batch: batch, count: count) : nil
        notifyAndUnlock(failed: result.error != nil)
        if let samples, let mixing, var shape = mixShape {
            shape.count = count
            mixing.mix(epoch: plan.epoch, epochPosition: plan.epochPositions[batch], shape: shape)
                .mixImages(samples, shape: shape)
            condition.lock()
            completedSlots[batch] += 1
            notifyAndUnlock(failed: false)
        }
    }

    /// Wakes whoever may now go on, and unlocks (called with the lock held).
    private func notifyAndUnlock(failed: Bool) {
        // Wake sleepers only when what they wait for may have changed: the consumer waits for
        // the next batch to complete, workers for the window or the end (a failure moves it).
        // A wake-up per sample cost two context switches per image.
        let consumerReady = consumerReadyLocked()
        var pending: CheckedContinuation<Void, Never>?
        if waiter != nil && consumerReady {
            pending = waiter
            waiter = nil
        }
        if consumerReady || failed { condition.broadcast() }
        condition.unlock()
        pending?.resume()
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
