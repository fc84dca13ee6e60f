import Dispatch
import Foundation
import Randomness

/// Batches a `SampleSource` through a `SampleRenderer`: per-epoch seeded
/// shuffling, optional sharding, Dispatch-parallel rendering into pooled
/// batch buffers and a bounded, in-order prefetch queue.
///
/// The same options and renderer give byte-identical batches whatever
/// `workerCount` and `prefetchDepth` are: the order comes from `EpochOrder`,
/// each slot's content from `(index, epoch)` alone.
///
/// ```swift
/// let folder = try ImageFolder(directory: "data/train")
/// let loader = try DataLoader(source: folder, renderer: renderer,
///                             options: LoaderOptions(batchSize: 32, seed: 42))
/// for epoch in 0..<10 {
///     for batch in loader.epoch(epoch) { ... }
/// }
/// ```
public final class DataLoader: Sendable {
    public let source: any SampleSource
    public let renderer: any SampleRenderer
    public let options: LoaderOptions
    /// Batches each epoch delivers.
    public let batchCount: Int

    private let registry: BadSampleRegistry
    /// The last finished epoch's batch buffers, for the next epoch.
    private let shelf = BatchPoolShelf()
    private let log: @Sendable (String) -> Void
    private let queue = DispatchQueue(label: "augment.datapipeline.workers", qos: .userInitiated,
                                      attributes: .concurrent)

    /// A loader of `source`'s samples, rendered by `renderer` into batches.
    /// - Parameters:
    ///   - source: the samples and their targets.
    ///   - renderer: writes one sample into its batch slot; its `sampleShape` sets the batch's.
    ///   - options: batch size, shuffling, seed, workers, prefetch depth, bad-file policy, shard,
    ///     batch mixing.
    ///   - log: receives the one line logged per bad sample under `.skip`,
    ///     and the error that stops a `for batch in run` loop (default: standard error).
    /// - Throws: `DataPipelineError.invalidArgument` for out-of-range options, or batch mixing that
    ///   the samples or targets cannot take (``BatchMixing``).
    public init(source: any SampleSource, renderer: any SampleRenderer, options: LoaderOptions = LoaderOptions(),
                log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(("warning: " + $0 + "\n").utf8)) })
        throws(DataPipelineError) {
        try options.validate()
        guard renderer.sampleShape.allSatisfy({ $0 > 0 }), !renderer.sampleShape.isEmpty else {
            throw DataPipelineError(.invalidArgument, message: "renderer sample shape \(renderer.sampleShape) is empty")
        }
        if let mixing = options.batchMixing {
            _ = try mixing.batchShape(sampleShape: renderer.sampleShape, source: source)
            // Mixing blends whole images and their class labels; masks, boxes and keypoints cannot follow.
            if (renderer as? any AnnotatingRenderer)?.annotationCollator != nil {
                throw DataPipelineError(.invalidArgument, message: "batch ops (\(mixing.recipe.ops.map(\.name).joined(separator: ", "))) "
                                        + "cannot carry the masks, boxes or keypoints of an annotated source")
            }
        }
        let whole: Shard = try Shard(index: 0, count: 1)
        let available = (options.shard ?? whole).batchCount(of: source.count, localBatch: options.batchSize,
                                                             dropRemainder: options.dropRemainder)
        if let steps = options.stepsPerEpoch, steps > available {
            throw DataPipelineError(.invalidArgument,
                                    message: "stepsPerEpoch \(steps) exceeds the \(available) batches of \(source.count) samples")
        }
        self.source = source
        self.renderer = renderer
        self.options = options
        self.batchCount = options.stepsPerEpoch ?? available
        self.registry = BadSampleRegistry(log: log)
        self.log = log
    }

    /// The source indices of `epoch`, in delivery order (this shard's part).
    public func order(epoch: Int) -> [Int] {
        let full = EpochOrder.permutation(count: source.count, seed: options.seed, epoch: epoch, shuffle: options.shuffle)
        guard options.shard != nil else { return full }
        return shardBatches.flatMap { full[$0] }
    }

    /// This shard's batches as ranges of epoch positions (one range for all of an unsharded epoch).
    private var shardBatches: [Range<Int>] {
        options.shard?.batches(of: source.count, localBatch: options.batchSize) ?? [0..<source.count]
    }

    /// The batches of `epoch` from batch `firstBatch` on (a resumed run's rest of
    /// the epoch: the same batches the whole epoch delivers there, none of the
    /// earlier ones rendered); iterate it once.
    public func epoch(_ epoch: Int, from firstBatch: Int = 0) -> EpochRun {
        let positions = options.shard == nil
            ? (0..<batchCount).map { $0 * options.batchSize }
            : Array(shardBatches.prefix(batchCount).map(\.lowerBound))
        let plan = EpochPlan(epoch: epoch, order: order(epoch: epoch), batchSize: options.batchSize,
                             batchCount: batchCount, firstBatch: min(max(firstBatch, 0), batchCount),
                             epochPositions: positions)
        return EpochRun(production: EpochProduction(plan: plan, source: source, renderer: renderer, options: options,
                                                    registry: registry, queue: queue, shelf: shelf, log: log))
    }

    /// Sample `index` as `epoch` renders it, on the calling thread: reproduces
    /// one slot of a batch alone.
    public func renderSample(_ index: Int, epoch: Int) throws -> [Float] {
        var values = [Float](repeating: 0, count: renderer.sampleShape.reduce(1, *))
        try values.withUnsafeMutableBufferPointer { try renderer.render(sample: index, epoch: epoch, into: $0) }
        return values
    }
}
