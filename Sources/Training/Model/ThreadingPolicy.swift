import Foundation
import Tensors

/// How training shares the cores with the input pipeline.
///
/// Policy: a training step runs on the calling thread and fans every kernel
/// out over `threads` threads, all from oneDNN's OpenMP pool (the caller
/// included): the convolutions, ReLU gradients and GEMMs inside oneDNN, and
/// max pooling, Adam and the remaining element-wise loops (`ParallelChunks`)
/// as chunks on the same threads, so no second pool competes with it. With
/// one thread everything stays on the caller. OpenBLAS is not used by
/// training (only by ZCA whitening in Augmentation).
///
/// OpenMP's threads spin for a while at the end of each kernel (libgomp's
/// default spin count) before they sleep, which is what makes the short
/// kernels of a step cheap to start, but they must not be oversubscribed.
/// Measured on the 2-core machine with a busy process on one core: 2
/// threads trained the small course model at 1,999 samples/s against 1,967
/// with 1 thread, while inference at batch 256 fell to 1,893 against 11,059.
/// So when a DataPipeline loader with `w` decoding workers feeds `fit`, use
/// `.training(threads: max(1, cores − w))`; `.allCores` suits in-memory
/// data on an otherwise idle machine. (`OMP_WAIT_POLICY=passive` in the
/// environment makes idle threads sleep at once; on the idle machine it
/// trained 15–28 % slower, in two paired runs.) A seeded run is
/// bit-for-bit reproducible for a fixed thread count; changing the count
/// changes how oneDNN splits its reductions (weight gradients, GEMMs), and
/// weights then differ in the last bits.
public struct ThreadingPolicy: Sendable, Equatable {
    /// Threads used inside training steps.
    public var threads: Int

    /// One thread per active core (the default of `fit`).
    public static var allCores: ThreadingPolicy {
        training(threads: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The policy for training steps on `threads` threads.
    public static func training(threads: Int) -> ThreadingPolicy {
        ThreadingPolicy(threads: max(1, threads))
    }

    /// Applies the policy (process-wide, see ``ComputeThreads``).
    public func apply() {
        ComputeThreads.set(threads)
    }
}
