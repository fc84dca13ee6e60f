import Augmentation
import Dispatch
import Foundation
import Tensors

/// The scheduler behind one epoch: `workerCount` Dispatch work items claim
/// positions of the epoch order one at a time, fill slots of a `BatchPool`
/// through a `SlotFiller`, and one consumer (blocking, or suspended through
/// `next()`) takes completed batches strictly in order, made by a
/// `BatchAssembler`.
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
    private let filler: SlotFiller
    private let assembler: BatchAssembler
    private let queue: DispatchQueue
    private let workerCount: Int
    private let pool: BatchPool
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
    private var waiter: CheckedContinuation<Void, Never>?
    private var waitSeconds = 0.0

    /// Where the pool goes back when this production is released (after its last worker returned).
    private let shelf: BatchPoolShelf

    init(plan: EpochPlan, source: any SampleSource, renderer: any SampleRenderer, options: LoaderOptions,
         registry: BadSampleRegistry, queue: DispatchQueue, shelf: BatchPoolShelf, log: @escaping @Sendable (String) -> Void) {
        self.plan = plan
        self.log = log
        filler = SlotFiller(plan: plan, renderer: renderer, policy: options.badFilePolicy, registry: registry)
        // DataLoader.init has checked the shape and targets of a mixed batch.
        assembler = BatchAssembler(
            plan: plan, source: source, renderer: renderer, mixing: options.batchMixing,
            mixShape: try? options.batchMixing?.batchShape(sampleShape: renderer.sampleShape, source: source))
        self.queue = queue
        self.workerCount = options.workerCount
        self.shelf = shelf
        pool = shelf.take(depth: options.prefetchDepth, batchSize: plan.batchSize, sampleSize: renderer.sampleShape.reduce(1, *),
                          maskPlane: assembler.planeSize.height * assembler.planeSize.width, keepsTargets: assembler.keepsTargets)
        self.completedSlots = Array(repeating: 0, count: plan.batchCount)
        delivered = plan.firstBatch
        nextPosition = plan.firstBatch * plan.batchSize
    }

    deinit { shelf.put(pool) }

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
        plan.positions(ofBatch: batch).count + (assembler.mixing == nil ? 0 : 1)
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
        return .deliver(batch: delivered, owners: pool.owners(batch: delivered, count: count),
                        targets: pool.targets(batch: delivered, count: count))
    }

    private func finish(_ step: Step) -> Outcome {
        switch step {
        case .done(let outcome):
            return outcome
        case .deliver(let batch, let owners, let targets):
            // Outside the lock: no worker touches this buffer until `delivered` moves past it,
            // and taking it may copy (see BatchPool).
            let result: Batch
            do {
                let size = assembler.planeSize
                result = try assembler.batch(batch, inputs: pool.takeInputs(batch: batch, count: owners.count),
                                             owners: owners, targets: targets,
                                             staged: pool.takeMasks(batch: batch, count: owners.count, height: size.height, width: size.width))
            } catch {
                condition.lock()
                state = .failed(error)
                condition.broadcast()
                condition.unlock()
                return .failed(error)
            }
            condition.lock()
            delivered += 1
            deliveredSamples += owners.count
            condition.broadcast()
            condition.unlock()
            return .batch(result)
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
        while let position = claim() {
            let batch = position / plan.batchSize
            let slotIndex = position % plan.batchSize
            var result = pool.withSlot(batch: batch, index: slotIndex) { filler.fill(position: position, into: $0) }
            let staged = stageMask(of: &result, batch: batch, index: slotIndex)
            complete(position: position, batch: batch, slotIndex: slotIndex, result: result, stagedMask: staged)
        }
    }

    /// Writes the slot's class map into the batch's mask buffer (on this worker, so the
    /// consumer stacks nothing) and takes it out of the result, when the collator batches it
    /// as is; returns whether it did.
    private func stageMask(of result: inout SlotFiller.Result, batch: Int, index: Int) -> Bool {
        guard let mask = result.targets?.mask, assembler.stages(mask) else { return false }
        condition.lock()
        let buffer = pool.maskBuffer(batch: batch)
        condition.unlock()
        let plane = pool.maskPlane
        buffer.withUnsafeMutableBufferPointer { all in
            mask.writeValues(into: UnsafeMutableBufferPointer(rebasing: all[(index * plane) ..< ((index + 1) * plane)]))
        }
        result.targets?.mask = nil
        return true
    }

    /// The next position to render, or nil when the worker should stop.
    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            guard case .running = state else { return nil }
            let end = failedBatch == Int.max
                ? plan.positionCount : min(plan.positionCount, (failedBatch + 1) * plan.batchSize)
            guard nextPosition < end else { return nil }
            if nextPosition / plan.batchSize < delivered + pool.depth {
                defer { nextPosition += 1 }
                return nextPosition
            }
            condition.wait()
        }
    }

    private func complete(position: Int, batch: Int, slotIndex: Int, result: SlotFiller.Result, stagedMask: Bool) {
        condition.lock()
        pool.fill(batch: batch, index: slotIndex, sample: result.sample, targets: result.targets, stagedMask: stagedMask)
        if let reason = result.skippedReason { skipped[plan.order[position]] = reason }
        if let error = result.error, position < (firstFailure?.position ?? Int.max) {
            firstFailure = (position, error)
            failedBatch = min(failedBatch, batch)
        }
        completedSlots[batch] += 1
        let count = plan.positions(ofBatch: batch).count
        let mixesNow = assembler.mixing != nil && completedSlots[batch] == count
        notifyAndUnlock(failed: result.error != nil)
        if mixesNow {
            // Outside the lock: no other worker writes a complete batch, and the consumer waits
            // for this step.
            pool.withSamples(batch: batch, count: count) { assembler.mixImages($0, batch: batch, count: count) }
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
