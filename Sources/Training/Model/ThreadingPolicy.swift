import CPUBudget
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
/// The count comes from `ThreadPlan`: by default the process's CPU budget
/// (affinity mask and cgroup quota, not the machine's processor count), less
/// the cores other processes keep busy when the plan is made. How
/// the threads wait between kernels is `OpenMPWaitPolicy`'s business (the
/// `augment` command bounds libgomp's spinning so that a busy core does not
/// make training collapse).
///
/// A seeded run is bit-for-bit reproducible for a fixed thread count, idle
/// or under load; changing the count changes how oneDNN splits its
/// reductions (weight gradients, GEMMs), and weights then differ in the last
/// bits. So `auto` started beside busy processes, which resolves to fewer
/// threads, trains other last bits than `auto` on an idle machine; the
/// resolved count is logged and written into `pipeline.resolved.yaml`.
public struct ThreadingPolicy: Sendable, Equatable {
    /// Threads used inside training steps.
    public var threads: Int

    /// The automatic count: `ThreadPlan.automatic`'s compute threads (the default of `fit`).
    public static var automatic: ThreadingPolicy {
        training(threads: ThreadPlan.automatic.computeThreads)
    }

    /// The policy for training steps on `threads` threads.
    public static func training(threads: Int) -> ThreadingPolicy {
        ThreadingPolicy(threads: max(1, threads))
    }

    /// Applies the policy (process-wide, see `ComputeThreads`).
    public func apply() {
        ComputeThreads.set(threads)
    }
}
