/// Anything that can hand out the batches of one epoch, again and again.
///
/// `Training`'s `fit` asks for `batches(epoch:from:)` once per epoch, so a
/// source can reshuffle per epoch (the `DataPipeline` loader seeds its order
/// with (seed, epoch)) and report, through ``finish(_:)``, an error that cut
/// an epoch short. A resumed run asks for the rest of an epoch from a batch
/// index: those batches must be exactly the ones the whole epoch would have
/// delivered from there. Arrays of batches are sources that repeat
/// themselves, and ``EpochBatches`` wraps a closure.
///
/// ```swift
/// struct Constant: BatchSource {
///     let batch: Batch
///     func batches(epoch: Int) -> [Batch] { [batch, batch] }
/// }
/// ```
public protocol BatchSource {
    /// The sequence of one epoch's batches.
    associatedtype Batches: Sequence<Batch>
    /// The batches of epoch `epoch` (0-based), in order.
    func batches(epoch: Int) -> Batches
    /// The batches of epoch `epoch` from batch `firstBatch` (0-based) on, as
    /// `batches(epoch:)` would deliver them after its first `firstBatch`.
    func batches(epoch: Int, from firstBatch: Int) -> Batches
    /// Batches per epoch when known in advance (progress bars use it).
    var batchesPerEpoch: Int? { get }
    /// Called once an epoch's batches have been iterated (or left early): throws
    /// the error that ended them early, if any (the `DataPipeline` loader's
    /// bad-file error), so that a consumer never mistakes a cut epoch for a whole one.
    func finish(_ batches: Batches) throws
}

extension BatchSource {
    public var batchesPerEpoch: Int? { nil }
    public func finish(_ batches: Batches) throws {}
}

extension BatchSource where Batches == [Batch] {
    public func batches(epoch: Int, from firstBatch: Int) -> [Batch] {
        Array(batches(epoch: epoch).dropFirst(firstBatch))
    }
}

extension Array: BatchSource where Element == Batch {
    /// The same batches every epoch.
    public func batches(epoch: Int) -> [Batch] { self }
    public var batchesPerEpoch: Int? { count }
}

/// A batch source built from a closure of the epoch.
///
/// ```swift
/// let source = EpochBatches(count: 10) { epoch, first in loader.epoch(epoch, from: first) }
/// ```
public struct EpochBatches<Batches: Sequence<Batch>>: BatchSource {
    private let make: (Int, Int) -> Batches
    public let batchesPerEpoch: Int?

    /// `count` is the number of batches per epoch when known; `make` gives the
    /// batches of an epoch from a first batch index on.
    public init(count: Int? = nil, _ make: @escaping (_ epoch: Int, _ firstBatch: Int) -> Batches) {
        self.make = make
        self.batchesPerEpoch = count
    }

    public func batches(epoch: Int) -> Batches { make(epoch, 0) }

    public func batches(epoch: Int, from firstBatch: Int) -> Batches { make(epoch, firstBatch) }
}
