import Foundation

/// How training shares the cores with the input pipeline.
///
/// Policy: a training step runs on the calling thread; only its GEMMs
/// (about two thirds of a step's time for the course models) fan out, over
/// OpenBLAS's own pool of `blasThreads` threads (default: all cores). The
/// element-wise kernels stay single-threaded, so Dispatch workers of the
/// input pipeline can prefetch the next batches in the gaps without a
/// second pool competing for the cores.
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
