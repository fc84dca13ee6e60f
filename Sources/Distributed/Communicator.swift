import CMPI
import Foundation

/// The processes of one MPI job (`MPI_COMM_WORLD`): this process's rank, the
/// world size, its rank among the processes on its machine, and the
/// collective operations data-parallel training needs.
///
/// Made once per process, after `mpirun` (or any MPI launcher) started it;
/// call ``finalize()`` before the process exits, on every rank.
///
/// ```swift
/// let world = try Communicator()
/// defer { world.finalize() }
/// var values: [Double] = [Double(world.rank)]
/// try world.sum(&values)               // 0 + 1 + … + (size − 1) on every rank
/// ```
///
/// MPI is initialised with `MPI_THREAD_FUNNELED`: only the thread that made
/// the communicator calls MPI (the loader's and oneDNN's threads never do).
/// Errors come back as ``MPIError`` (the communicator sets `MPI_ERRORS_RETURN`).
public final class Communicator {
    /// This process's rank in `0..<size`.
    public let rank: Int
    /// The number of processes.
    public let size: Int
    /// This process's rank among the processes of its machine.
    public let localRank: Int
    /// The number of processes on this machine.
    public let localSize: Int
    private let world: MPI_Comm
    private var finalized = false

    /// Initialises MPI (once per process) and reads rank, size and the local ranks.
    /// - Throws: ``MPIError`` when MPI cannot start (e.g. no launcher could be reached).
    public init() throws(MPIError) {
        var initialized: Int32 = 0
        try MPIError.check(MPI_Initialized(&initialized), "MPI_Initialized")
        if initialized == 0 {
            var provided: Int32 = 0
            try MPIError.check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), "MPI_Init_thread")
        }
        world = augment_mpi_comm_world()
        try MPIError.check(MPI_Comm_set_errhandler(world, augment_mpi_errors_return()), "MPI_Comm_set_errhandler")
        var rank: Int32 = 0, size: Int32 = 0
        try MPIError.check(MPI_Comm_rank(world, &rank), "MPI_Comm_rank")
        try MPIError.check(MPI_Comm_size(world, &size), "MPI_Comm_size")
        var node: MPI_Comm?
        try MPIError.check(MPI_Comm_split_type(world, augment_mpi_comm_type_shared(), rank, augment_mpi_info_null(), &node),
                           "MPI_Comm_split_type")
        var localRank: Int32 = 0, localSize: Int32 = 0
        try MPIError.check(MPI_Comm_rank(node, &localRank), "MPI_Comm_rank")
        try MPIError.check(MPI_Comm_size(node, &localSize), "MPI_Comm_size")
        try MPIError.check(MPI_Comm_free(&node), "MPI_Comm_free")
        self.rank = Int(rank)
        self.size = Int(size)
        self.localRank = Int(localRank)
        self.localSize = Int(localSize)
    }

    /// Whether an MPI launcher started this process (`mpirun` sets
    /// `OMPI_COMM_WORLD_SIZE`; MPICH-style launchers `PMI_SIZE`).
    public static func isLaunchedByMPI(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMI_SIZE"] != nil
    }

    /// Ends MPI for this process (collective: every rank calls it). Later calls do nothing.
    public func finalize() {
        guard !finalized else { return }
        finalized = true
        MPI_Finalize()
    }

    /// Ends MPI for a process that failed: like ``finalize()``, but when the other
    /// ranks do not come to finalize within `seconds` (they wait in a collective the
    /// failed rank will never join), the process exits with status 1 without
    /// finalizing, which makes the launcher stop every rank instead of leaving the job hanging.
    public func finalizeAfterFailure(waitingAtMost seconds: Double = 10) {
        guard !finalized else { return }
        let watchdog = Thread {
            Thread.sleep(forTimeInterval: seconds)
            fflush(nil)
            _exit(1)
        }
        watchdog.start()
        finalize()
    }

    // MARK: Collectives

    /// Replaces `values` by their element-wise sums over all ranks.
    public func sum(_ values: inout [Double]) throws(MPIError) {
        let count = Int32(values.count)
        let code = values.withUnsafeMutableBufferPointer {
            MPI_Allreduce(augment_mpi_in_place(), $0.baseAddress, count, augment_mpi_double(), augment_mpi_sum(), world)
        }
        try MPIError.check(code, "MPI_Allreduce")
    }

    /// Sums `count` floats at `buffer` over all ranks, in place.
    public func sum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws(MPIError) {
        let code = MPI_Allreduce(augment_mpi_in_place(), buffer, Int32(count), augment_mpi_float(), augment_mpi_sum(), world)
        try MPIError.check(code, "MPI_Allreduce")
    }

    /// Starts summing `count` floats at `buffer` over all ranks, in place;
    /// the buffer must stay untouched until the request completes (``wait(_:)``).
    public func startSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws(MPIError) -> Request {
        var request: MPI_Request?
        let code = MPI_Iallreduce(augment_mpi_in_place(), buffer, Int32(count), augment_mpi_float(), augment_mpi_sum(),
                                  world, &request)
        try MPIError.check(code, "MPI_Iallreduce")
        return Request(handle: request)
    }

    /// Replaces `values` by rank 0's.
    public func broadcast(_ values: inout [Double]) throws(MPIError) {
        let count = Int32(values.count)
        let code = values.withUnsafeMutableBufferPointer { MPI_Bcast($0.baseAddress, count, augment_mpi_double(), 0, world) }
        try MPIError.check(code, "MPI_Bcast")
    }

    /// Replaces `count` floats at `buffer` by rank 0's.
    public func broadcast(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws(MPIError) {
        try MPIError.check(MPI_Bcast(buffer, Int32(count), augment_mpi_float(), 0, world), "MPI_Bcast")
    }

    /// Waits until every rank has called it.
    public func barrier() throws(MPIError) {
        try MPIError.check(MPI_Barrier(world), "MPI_Barrier")
    }

    /// A started non-blocking operation.
    public struct Request {
        fileprivate var handle: MPI_Request?
    }

    /// Waits for `requests` to complete (they are then spent).
    public func wait(_ requests: inout [Request]) throws(MPIError) {
        var handles = requests.map(\.handle)
        let code = handles.withUnsafeMutableBufferPointer { MPI_Waitall(Int32($0.count), $0.baseAddress, nil)  /* nil: MPI_STATUSES_IGNORE */ }
        for index in requests.indices { requests[index].handle = handles[index] }
        try MPIError.check(code, "MPI_Waitall")
    }

    /// Lets MPI progress each of `requests` without waiting, and counts those
    /// complete (spent ones count as complete).
    public func completedCount(_ requests: inout [Request]) throws(MPIError) -> Int {
        var count = 0
        for index in requests.indices {
            var done: Int32 = 0
            try MPIError.check(MPI_Test(&requests[index].handle, &done, nil), "MPI_Test")  // nil: MPI_STATUS_IGNORE
            if done != 0 { count += 1 }
        }
        return count
    }

    /// Lets MPI progress `requests` without waiting (Open MPI moves
    /// non-blocking collectives forward only inside MPI calls); true when all are complete.
    @discardableResult
    public func test(_ requests: inout [Request]) throws(MPIError) -> Bool {
        var handles = requests.map(\.handle)
        var done: Int32 = 0
        let code = handles.withUnsafeMutableBufferPointer { MPI_Testall(Int32($0.count), $0.baseAddress, &done, nil) }
        for index in requests.indices { requests[index].handle = handles[index] }
        try MPIError.check(code, "MPI_Testall")
        return done != 0
    }
}
