/// How training shares the cores with the input pipeline.
///
/// Measured on the 2-core target machine (see the training issue's note):
/// for the course models, OpenBLAS with one thread per core inside each GEMM
/// beats one OpenBLAS thread plus Dispatch over the batch, because the
/// per-step GEMMs are large enough (M = batch × output pixels) to split well
/// and the remaining element-wise loops are a small share of a step.
///
/// Policy: during `fit`, OpenBLAS runs `threads` threads (default: all cores).
/// The pipeline's Dispatch workers prefetch the next batches while the main
/// thread is inside `fit`; on a machine with few cores, give the pipeline one
/// worker and OpenBLAS `cores − 1` threads if decoding is the bottleneck.
public struct ThreadingPolicy: Sendable, Equatable {
    /// OpenBLAS threads used inside training steps.
    public var blasThreads: Int

    /// The policy for training steps with `threads` OpenBLAS threads.
    public static func training(threads: Int) -> ThreadingPolicy {
        ThreadingPolicy(blasThreads: max(1, threads))
    }

    /// Applies the policy (process-wide: OpenBLAS has one thread pool).
    public func apply() {
        BLASThreads.set(blasThreads)
    }
}
