/// Combines the gradients that each process computed on its share of a
/// batch, between the backward pass and the optimiser's update.
///
/// Every gradient is a contiguous buffer per parameter (``Parameter/gradient``),
/// the mean over the process's local samples, so a reducer can hand the
/// buffers to a transport without copying. A data-parallel reducer sums them
/// across processes and divides by the number of processes (equal local batches).
public protocol GradientReducer: AnyObject {
    /// Replaces each parameter's gradient by its reduction over processes.
    /// `localBatch` is the number of samples this process's gradients are the mean of.
    func reduce(_ parameters: [Parameter], localBatch: Int) throws
    /// This process's index among ``processCount`` (0 for one process). A
    /// global batch is the processes' local batches in rank order, so the
    /// samples keep their positions in the epoch, which dropout masks are keyed by.
    var rank: Int { get }
    /// Number of processes training together.
    var processCount: Int { get }
}

/// The reducer of a single process: gradients are already complete.
public final class LocalGradientReducer: GradientReducer {
    /// A reducer that leaves gradients as they are.
    public init() {}
    public func reduce(_ parameters: [Parameter], localBatch: Int) throws {}
    public var rank: Int { 0 }
    public var processCount: Int { 1 }
}
