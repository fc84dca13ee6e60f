import Foundation

/// How training shares the cores with the input pipeline.
///
/// Policy: a training step runs on the calling thread; its GEMMs (about two
/// thirds of a step's time for the course models) fan out over OpenBLAS's
/// own pool of `blasThreads` threads (default: all cores), and the
/// memory-bound per-sample loops between them (im2col, col2im, pooling,
/// activations, bias fills) split into `blasThreads` chunks on Dispatch
/// (`ParallelChunks`). With one thread everything stays on the caller.
///
/// OpenBLAS's idle threads keep spinning for a while after each GEMM
/// (`OPENBLAS_THREAD_TIMEOUT`, read once at load, default 2^28 cycles), so
/// the Dispatch chunks share the second core with a spinning thread; in a
/// short measurement under load, `OPENBLAS_THREAD_TIMEOUT=4` in the
/// environment trained the small model 12–42 % faster (4 paired runs).
///
/// OpenBLAS's threads spin while they wait for work, so they must never be
/// oversubscribed: on the 2-core reference machine under a load of ~7
/// runnable processes, 2 OpenBLAS threads trained the small course model at
/// 341 samples/s (batch 32) against ~900 with 1 thread. When a DataPipeline
/// loader with `w` decoding workers feeds `fit`, use
/// `.training(threads: max(1, cores − w))`; `.allCores` suits in-memory data
/// on an otherwise idle machine. A seeded run is bit-for-bit reproducible for a fixed thread count;
/// changing the count changes OpenBLAS's summation order, and weights then
/// differ in the last bits (measured: up to 2e-7 after two Adam steps).
public struct ThreadingPolicy: Sendable, Equatable {
    /// OpenBLAS threads used inside training steps.
    public var blasThreads: Int

    /// One OpenBLAS thread per active core (the default of `fit`).
    public static var allCores: ThreadingPolicy {
        training(threads: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The policy for training steps with `threads` OpenBLAS threads.
    public static func training(threads: Int) -> ThreadingPolicy {
        ThreadingPolicy(blasThreads: max(1, threads))
    }

    /// Applies the policy (process-wide: OpenBLAS has one thread pool).
    public func apply() {
        BLASThreads.set(blasThreads)
    }
}
