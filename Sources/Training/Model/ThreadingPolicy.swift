import Foundation
import Tensors

/// How training shares the cores with the input pipeline.
///
/// Policy: a training step runs on the calling thread and fans every kernel
/// out over `threads` threads: oneDNN's OpenMP pool for the convolutions,
/// max pooling, ReLU gradients and GEMMs (nearly all of a step), and
/// Dispatch chunks (`ParallelChunks`) for the few remaining element-wise
/// loops. With one thread everything stays on the caller. OpenBLAS is not
/// used by training (only by ZCA whitening in Augmentation).
///
/// OpenMP's idle threads spin briefly after each kernel (libgomp's default
/// spin count, well under a millisecond) before they sleep, so they must not
/// be oversubscribed: when a DataPipeline loader with `w` decoding workers
/// feeds `fit`, use `.training(threads: max(1, cores − w))`; `.allCores`
/// suits in-memory data on an otherwise idle machine. A seeded run is
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
