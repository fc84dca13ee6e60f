/// The collective operations of processes training one model together
/// (data parallelism): the trainer's only contact with the transport.
///
/// Every process runs the same model on its share of each global batch. A
/// step's gradients are the process's contribution to the global mean (the
/// trainer scales the loss gradient by local over global batch size), so
/// ``reduce(_:)`` only sums them. Every call is collective: all processes
/// make the same calls in the same order with the same sizes, or none
/// returns. ``LocalGradientReducer`` is the one-process identity; the
/// `Distributed` module's `MPIGradientReducer` spans processes with MPI.
public protocol GradientReducer: AnyObject {
    /// This process's index among ``processCount`` (0 for one process). A
    /// global batch is the processes' local batches in rank order, so the
    /// samples keep their positions in the epoch, which dropout masks are keyed by.
    var rank: Int { get }
    /// Number of processes training together.
    var processCount: Int { get }

    /// Told during the backward pass that `parameters`' gradients are final
    /// for this step (their layer's backward has run): a reducer may start
    /// summing them while earlier layers are still back-propagating. Errors
    /// are kept for ``reduce(_:)`` to throw.
    func gradientsReady(_ parameters: [Parameter])
    /// Replaces each parameter's gradient by its sum over processes (those not
    /// announced by ``gradientsReady(_:)`` included), in place.
    func reduce(_ parameters: [Parameter]) throws
    /// Replaces `values` by their element-wise sums over processes.
    func sum(_ values: inout [Double]) throws
    /// Replaces `values` by rank 0's (the same count on every process).
    func broadcast(_ values: inout [Double]) throws
    /// Replaces every parameter's values by rank 0's.
    func broadcast(_ parameters: [Parameter]) throws
}

/// The reducer of a single process: gradients and values are already complete.
public final class LocalGradientReducer: GradientReducer {
    /// A reducer that leaves everything as it is.
    public init() {}
    public var rank: Int { 0 }
    public var processCount: Int { 1 }
    public func gradientsReady(_ parameters: [Parameter]) {}
    public func reduce(_ parameters: [Parameter]) throws {}
    public func sum(_ values: inout [Double]) throws {}
    public func broadcast(_ values: inout [Double]) throws {}
    public func broadcast(_ parameters: [Parameter]) throws {}
}
