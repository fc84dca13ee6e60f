import Tensors

/// One epoch's batches, in order: a single-pass `Sequence` and
/// `AsyncSequence` of `Batch`. Workers start on the first request.
///
/// ```swift
/// let run = loader.epoch(0)
/// for batch in run { try model.step(batch) }
/// let summary = try run.finish()   // throws a bad file's error (`.fail`)
///
/// for try await batch in loader.epoch(1) { ... }   // throws it directly
/// ```
///
/// Leaving early (`break`, dropping the run or its iterator, cancelling the
/// task) stops the workers after their current sample and frees the batch
/// buffers once they have returned. Consume a run from one thread or task
/// at a time. Each delivered `Batch` owns its values: a full batch takes its
/// pooled buffer itself, without copying, and the pool fills a replacement;
/// a short last batch gets a copy. So a batch stays valid however long it is
/// kept.
public final class EpochRun: Sequence, AsyncSequence, Sendable {
    public typealias Element = Batch
    public typealias Failure = any Error

    let production: EpochProduction

    init(production: EpochProduction) {
        self.production = production
    }

    deinit { production.cancel() }

    /// The next batch, waiting for it; nil at the end of the epoch.
    /// - Throws: the error of the first failing sample (`.fail`), once every
    ///   batch before it has been returned.
    public func nextBatch() throws -> Batch? {
        switch production.nextBlocking() {
        case .batch(let batch): return batch
        case .finished, .cancelled: return nil
        case .failed(let error): throw error
        }
    }

    /// Ends the run (stopping the workers if batches remain) and reports it.
    /// - Throws: the error that ended the epoch early, if one did; with the
    ///   `Sequence` API this is where a bad file's error surfaces.
    @discardableResult
    public func finish() throws -> EpochSummary {
        production.cancel()
        if let error = production.failure { throw error }
        return production.summary()
    }

    /// The report so far, without ending the run.
    public var summary: EpochSummary { production.summary() }

    public func makeIterator() -> Iterator { Iterator(run: self) }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(run: self) }

    /// Blocking iterator; it ends early on an error, which it logs (through
    /// the loader's `log`) and `finish()` then throws.
    public final class Iterator: IteratorProtocol {
        private let run: EpochRun
        private var reported = false

        init(run: EpochRun) { self.run = run }

        deinit { run.production.cancel() }

        public func next() -> Batch? {
            switch run.production.nextBlocking() {
            case .batch(let batch):
                return batch
            case .finished, .cancelled:
                return nil
            case .failed(let error):
                if !reported {
                    reported = true
                    run.production.log("epoch \(run.production.epoch) stopped early: \(error) (EpochRun.finish() throws it)")
                }
                return nil
            }
        }
    }

    /// Suspending iterator; throws a bad file's error, or `CancellationError`
    /// when its task is cancelled.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let run: EpochRun

        init(run: EpochRun) { self.run = run }

        public mutating func next() async throws -> Batch? {
            switch await run.production.next() {
            case .batch(let batch): return batch
            case .finished: return nil
            case .failed(let error): throw error
            case .cancelled:
                try Task.checkCancellation()
                return nil
            }
        }
    }
}
