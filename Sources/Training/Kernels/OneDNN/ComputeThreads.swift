import CDNNL  // imported for its module map, which links libdnnl and libgomp
import CNeuralKernels
import CPUBudget
import Synchronization

/// The number of threads the tensor kernels use: oneDNN's OpenMP threads
/// (convolutions, pooling, GEMMs) and ``ParallelChunks``'s chunks, which run
/// on the same OpenMP team.
///
/// OpenMP keeps its thread count per calling thread, so the count is stored
/// here process-wide and every kernel entry point calls ``adopt()``, which
/// hands it to OpenMP when the calling thread has another one. A thread that
/// runs a model replica (``ReplicaGroup``) has a count of its own
/// (``setForThisThread(_:)``), which wins over the process-wide one.
public enum ComputeThreads {
    private static let requested = Atomic<Int>(0)
    private static let automatic = ThreadPlan.automatic.computeThreads

    /// Threads of the next kernel calls: the last ``set(_:)``, or the process's
    /// automatic count (`ThreadPlan.automatic`: its CPU budget, or `OMP_NUM_THREADS`).
    public static var current: Int {
        let own = Int(nk_thread_local_count())
        if own > 0 { return own }
        let count = requested.load(ordering: .relaxed)
        return count > 0 ? count : automatic
    }

    /// Sets the thread count of every later kernel call (at least 1).
    public static func set(_ count: Int) {
        requested.store(max(1, count), ordering: .relaxed)
        adopt()
    }

    /// Sets the thread count of the calling thread's later kernel calls, over
    /// the process-wide count (nil clears it): each replica of a ``ReplicaGroup``
    /// runs its kernels on a team of its own.
    public static func setForThisThread(_ count: Int?) {
        nk_set_thread_local_count(Int32(count.map { max(1, $0) } ?? 0))
        adopt()
    }

    /// Gives OpenMP the current count on the calling thread (a no-op when it has it).
    @inline(__always)
    public static func adopt() {
        let count = current
        if Int(nk_threads()) != count { nk_set_threads(Int32(count)) }
    }
}
