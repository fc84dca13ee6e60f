import Foundation

/// Replicas of one model training together in one process, a thread each:
/// data parallelism over threads, the in-process counterpart of the MPI ranks
/// of the `Distributed` module.
///
/// Every replica is a model built the same way (same file, same seed, so the
/// same initial weights) that trains on its share of each global batch, as an
/// MPI rank does; ``reducer(rank:)`` gives each the ``GradientReducer`` that
/// sums the replicas' gradients. The replicas then take identical steps.
/// Unlike a team of threads inside every kernel (oneDNN's OpenMP team), which
/// meets at a barrier after each of a step's ~30 parallel regions, replicas
/// meet a few times a step only, and a replica whose core another process
/// took delays the others once a step rather than at every region (README,
/// "Threads on a busy machine").
///
/// Numerics: a replica's kernels run on its own thread count
/// (``ComputeThreads/setForThisThread(_:)``), and the sums run in rank order
/// whatever the scheduling, so a run gives the same bits for the same replica
/// count and threads per replica, idle or under load.
///
/// ```swift
/// let group = ReplicaGroup(count: 2)
/// let losses = try group.run(threadsPerReplica: 1) { reducer in
///     let model = try CourseModels.small(seed: 1)
///     model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy())
///     model.trainer!.reducer = reducer
///     return try model.trainStep(shares[reducer.rank]).loss   // each replica's half of the batch
/// }
/// ```
public final class ReplicaGroup: @unchecked Sendable {
    /// Number of replicas.
    public let count: Int

    /// What one replica offers the others during a collective call.
    fileprivate final class Slot {
        /// Its gradient buffers (``ReplicaGradientReducer/reduce(_:)``) or parameter values (broadcast).
        var buffers: [UnsafeMutablePointer<Float>] = []
        var values: [Double] = []
    }

    /// One slot per rank; a replica writes only its own, and reads the others'
    /// between two barriers (the barrier's lock orders the accesses).
    fileprivate let slots: [Slot]
    private let condition = NSCondition()
    private var arrived = 0
    private var generation = 0
    /// Ranks that left before the others (an error, or calls out of step).
    private var departed: [Int] = []
    private var finished = 0

    /// A group of `count` replicas (at least 1).
    public init(count: Int) {
        precondition(count >= 1, "a replica group needs at least one replica")
        self.count = count
        slots = (0..<count).map { _ in Slot() }
    }

    /// The reducer of replica `rank` (0..<count).
    public func reducer(rank: Int) -> ReplicaGradientReducer {
        precondition((0..<count).contains(rank), "rank \(rank) of \(count) replicas")
        return ReplicaGradientReducer(group: self, rank: rank)
    }

    /// Runs `body` once per replica, rank 0 on the calling thread and each
    /// other rank on a thread of its own, every one with `threadsPerReplica`
    /// kernel threads, and returns their results in rank order. A replica that
    /// throws leaves the group: the others' next collective call throws
    /// ``TrainingError/processesStopped(ranks:processCount:)`` instead of
    /// waiting, and this throws the first error that is not such a consequence
    /// (in rank order).
    public func run<Value>(threadsPerReplica: Int,
                            _ body: @escaping @Sendable (ReplicaGradientReducer) throws -> Value) throws -> [Value] {
        let outcomes = Outcomes<Value>(count: count)
        let done = DispatchGroup()
        for rank in 1..<max(count, 1) {
            done.enter()
            let thread = Thread { [self] in
                ComputeThreads.setForThisThread(threadsPerReplica)
                outcomes.set(rank, Result { try body(reducer(rank: rank)) })
                leave(rank: rank, failed: outcomes.failed(rank))
                done.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        ComputeThreads.setForThisThread(threadsPerReplica)
        outcomes.set(0, Result { try body(reducer(rank: 0)) })
        leave(rank: 0, failed: outcomes.failed(0))
        ComputeThreads.setForThisThread(nil)
        done.wait()
        return try outcomes.values()
    }

    /// Marks `rank` as done; a failed rank (or one that left while others wait
    /// for it) makes every waiting and later collective call throw.
    func leave(rank: Int, failed: Bool) {
        condition.lock()
        defer { condition.unlock() }
        finished += 1
        if failed || arrived > 0 {
            departed.append(rank)
            condition.broadcast()
        }
    }

    /// Waits until every replica has arrived (a sleeping wait: a core the
    /// others need is never spun away).
    /// - Throws: ``TrainingError/processesStopped(ranks:processCount:)`` when a replica left the group.
    fileprivate func barrier() throws {
        condition.lock()
        defer { condition.unlock() }
        guard departed.isEmpty, finished == 0 else { throw stopped }
        let entered = generation
        arrived += 1
        if arrived == count {
            arrived = 0
            generation += 1
            condition.broadcast()
            return
        }
        while generation == entered, departed.isEmpty { condition.wait() }
        if generation == entered { throw stopped }
    }

    private var stopped: TrainingError {
        .processesStopped(ranks: departed.sorted(), processCount: count)
    }
}

/// Each replica's result, set by its own thread and read after all have ended.
private final class Outcomes<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Value, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ rank: Int, _ result: Result<Value, any Error>) {
        lock.withLock { results[rank] = result }
    }

    func failed(_ rank: Int) -> Bool {
        lock.withLock { if case .failure = results[rank] { true } else { false } }
    }

    /// The values in rank order, or the first error that is not another replica's failure.
    func values() throws -> [Value] {
        let all = lock.withLock { results.map { $0! } }
        let errors = all.compactMap { if case let .failure(error) = $0 { error } else { nil } }
        if let cause = errors.first(where: { !Self.isConsequence($0) }) ?? errors.first { throw cause }
        return try all.map { try $0.get() }
    }

    private static func isConsequence(_ error: any Error) -> Bool {
        if case TrainingError.processesStopped = error { true } else { false }
    }
}

/// The ``GradientReducer`` of one replica of a ``ReplicaGroup``: sums over the
/// replicas in rank order, in place in every replica's buffers.
public final class ReplicaGradientReducer: GradientReducer {
    private let group: ReplicaGroup
    public let rank: Int
    public var processCount: Int { group.count }

    fileprivate init(group: ReplicaGroup, rank: Int) {
        self.group = group
        self.rank = rank
    }

    private var slot: ReplicaGroup.Slot { group.slots[rank] }

    public func gradientsReady(_ parameters: [Parameter]) {}

    /// Each replica sums its own share of the elements (the gradients laid end
    /// to end, split evenly by rank) over all replicas and writes the sum into
    /// every replica's buffer.
    /// - Complexity: O(elements × replicas / replicas) per replica.
    public func reduce(_ parameters: [Parameter]) throws {
        slot.buffers = parameters.map { $0.gradient.pointer }
        try group.barrier()
        let counts = parameters.map(\.count)
        let total = counts.reduce(0, +), replicas = group.count
        let share = (total * rank / replicas)..<(total * (rank + 1) / replicas)
        let sources = group.slots.map(\.buffers)
        var start = 0
        for (index, count) in counts.enumerated() {
            let lower = max(share.lowerBound, start), upper = min(share.upperBound, start + count)
            if lower < upper { Self.sum(sources.map { $0[index] }, lower - start..<upper - start) }
            start += count
        }
        try group.barrier()
    }

    /// `buffers[0][i] + buffers[1][i] + …` written back into every buffer, for `i` in `range`.
    private static func sum(_ buffers: [UnsafeMutablePointer<Float>], _ range: Range<Int>) {
        let first = buffers[0]
        for other in buffers.dropFirst() {
            for i in range { first[i] += other[i] }
        }
        for other in buffers.dropFirst() { other.advanced(by: range.lowerBound).update(from: first + range.lowerBound, count: range.count) }
    }

    public func sum(_ values: inout [Double]) throws {
        slot.values = values
        try group.barrier()
        var total = group.slots[0].values
        for other in group.slots.dropFirst() {
            for i in total.indices { total[i] += other.values[i] }
        }
        try group.barrier()
        values = total
    }

    public func broadcast(_ values: inout [Double]) throws {
        slot.values = values
        try group.barrier()
        let first = group.slots[0].values
        try group.barrier()
        values = first
    }

    public func broadcast(_ parameters: [Parameter]) throws {
        slot.buffers = parameters.map { $0.value.pointer }
        try group.barrier()
        if rank != 0 {
            for (index, parameter) in parameters.enumerated() {
                parameter.value.pointer.update(from: group.slots[0].buffers[index], count: parameter.count)
            }
        }
        try group.barrier()
    }
}
