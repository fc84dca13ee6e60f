import Dispatch
import Tensors
import Training

/// A `GradientReducer` over MPI: gradients summed across the ranks of a
/// ``Communicator`` (all-reduce), in buckets of about ``bucketBytes``.
///
/// By default every bucket's all-reduce starts after the backward pass. With
/// ``overlap`` on, a bucket's non-blocking all-reduce (`MPI_Iallreduce`)
/// starts as soon as the backward pass has finished the layers whose
/// gradients fill it (last layers first), and every later layer's completion
/// lets MPI progress it (`MPI_Testall`); ``reduce(_:)`` then waits for what
/// is left. Whether communication really hides behind computation depends
/// on MPI's progress: ``statistics`` counts the buckets started during the
/// backward pass, those complete when it ends, and the exposed wait. On one
/// 2-core machine (Open MPI 4.1, shared memory, 2 ranks, 16 KiB buckets) every
/// bucket started during the backward pass but 0 to 2.6 of 4 were complete at
/// its end, and the exposed wait was not reliably smaller (0.24–1.75 ms
/// against 0.36–0.71 ms per step for the 93,322-param course model,
/// `augment bench train --overlap`), so it is off by default.
///
/// ```swift
/// let world = try Communicator()
/// model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy(), metrics: [.automatic])
/// model.trainer?.reducer = MPIGradientReducer(communicator: world)
/// try model.fit(shardedLoader, epochs: 10)       // each rank its share of every global batch
/// ```
public final class MPIGradientReducer: GradientReducer {
    /// The processes training together.
    public let communicator: Communicator
    /// Bytes of gradients per all-reduce (a parameter larger than this is a bucket of its own).
    public let bucketBytes: Int
    /// Whether buckets start during the backward pass (else all start in ``reduce(_:)``).
    public let overlap: Bool
    /// What the reductions cost so far (assign a new value to start counting again).
    public var statistics = ReductionStatistics()

    /// A reducer over `communicator`'s ranks.
    /// - Parameters:
    ///   - communicator: the processes that train together.
    ///   - bucketBytes: gradient bytes per all-reduce (default 4 MiB).
    ///   - overlap: start buckets during the backward pass.
    public init(communicator: Communicator, bucketBytes: Int = 4 << 20, overlap: Bool = false) {
        self.communicator = communicator
        self.bucketBytes = max(bucketBytes, MemoryLayout<Float>.stride)
        self.overlap = overlap
    }

    public var rank: Int { communicator.rank }
    public var processCount: Int { communicator.size }

    /// The buckets, in the order every rank starts them: the parameters in
    /// reverse (the backward pass's order), cut after ``bucketBytes``. Made in
    /// the first ``reduce(_:)`` and again whenever the parameters change, so
    /// the first step of a layout overlaps nothing.
    private var layout: [Bucket] = []
    /// Index of each parameter's bucket in ``layout``.
    private var bucketOf: [ObjectIdentifier: Int] = [:]
    /// Parameters still to be announced, per bucket, this step.
    private var missing: [Int] = []
    /// Buckets started this step (a prefix of ``layout``).
    private var startedCount = 0
    private var requests: [Communicator.Request] = []
    /// The first MPI error of the step's backward pass, thrown by ``reduce(_:)``.
    private var deferredError: MPIError?
    private var stepCallSeconds = 0.0
    /// Buckets started by ``gradientsReady(_:)`` this step.
    private var earlyCount = 0

    /// The parameters of one all-reduce, packed in one buffer.
    private struct Bucket {
        var parameters: [Parameter]
        var count: Int
        let buffer = ScratchBuffer()
    }

    public func gradientsReady(_ parameters: [Parameter]) {
        guard overlap, deferredError == nil, !layout.isEmpty else { return }
        let clock = DispatchTime.now()
        defer { stepCallSeconds += seconds(since: clock) }
        do {
            if !requests.isEmpty { try communicator.test(&requests) }
            for parameter in parameters {
                guard let bucket = bucketOf[ObjectIdentifier(parameter)] else { continue }
                missing[bucket] -= 1
            }
            while startedCount < layout.count, missing[startedCount] == 0 {
                try startNextBucket()
                earlyCount += 1
            }
        } catch {
            deferredError = error
        }
    }

    public func reduce(_ parameters: [Parameter]) throws {
        let clock = DispatchTime.now()
        defer { resetStep() }
        if let deferredError { throw deferredError }
        if !fits(parameters) { makeLayout(parameters) }
        let doneEarly = requests.isEmpty ? 0 : try communicator.completedCount(&requests)
        while startedCount < layout.count { try startNextBucket() }
        try communicator.wait(&requests)
        var bytes = 0
        for bucket in layout {
            var offset = 0
            for parameter in bucket.parameters {
                parameter.gradient.pointer.update(from: bucket.buffer.pointer + offset, count: parameter.count)
                offset += parameter.count
            }
            bytes += bucket.count * MemoryLayout<Float>.stride
        }
        let waited = seconds(since: clock)
        statistics.record(bytes: bytes, buckets: layout.count, early: earlyCount, doneEarly: doneEarly,
                          callSeconds: stepCallSeconds + waited, waitSeconds: waited)
    }

    /// Whether ``layout`` holds exactly `parameters`.
    private func fits(_ parameters: [Parameter]) -> Bool {
        parameters.count == bucketOf.count && parameters.allSatisfy { bucketOf[ObjectIdentifier($0)] != nil }
    }

    private func makeLayout(_ parameters: [Parameter]) {
        layout = []
        bucketOf = [:]
        var current = Bucket(parameters: [], count: 0)
        for parameter in parameters.reversed() {
            current.parameters.append(parameter)
            current.count += parameter.count
            bucketOf[ObjectIdentifier(parameter)] = layout.count
            if current.count * MemoryLayout<Float>.stride >= bucketBytes {
                layout.append(current)
                current = Bucket(parameters: [], count: 0)
            }
        }
        if !current.parameters.isEmpty { layout.append(current) }
        resetStep()
    }

    /// Packs the next bucket's gradients and starts its all-reduce.
    private func startNextBucket() throws(MPIError) {
        let bucket = layout[startedCount]
        let packed = bucket.buffer.reserve(bucket.count)
        var offset = 0
        for parameter in bucket.parameters {
            (packed + offset).update(from: parameter.gradient.pointer, count: parameter.count)
            offset += parameter.count
        }
        requests.append(try communicator.startSum(packed, count: bucket.count))
        startedCount += 1
    }

    private func resetStep() {
        missing = layout.map(\.parameters.count)
        startedCount = 0
        requests = []
        deferredError = nil
        stepCallSeconds = 0
        earlyCount = 0
    }

    public func sum(_ values: inout [Double]) throws {
        try communicator.sum(&values)
    }

    public func broadcast(_ values: inout [Double]) throws {
        try communicator.broadcast(&values)
    }

    public func broadcast(_ parameters: [Parameter]) throws {
        for parameter in parameters { try communicator.broadcast(parameter.value.pointer, count: parameter.count) }
    }

    private func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// Running totals of an ``MPIGradientReducer``'s gradient all-reduces.
public struct ReductionStatistics: Sendable, Equatable {
    /// Nothing counted yet.
    public init() {}

    /// Steps reduced.
    public private(set) var steps = 0
    /// Gradient bytes all-reduced, over all steps.
    public private(set) var bytes = 0
    /// All-reduces started, over all steps.
    public private(set) var buckets = 0
    /// All-reduces started during backward passes (with overlap), over all steps.
    public private(set) var earlyBuckets = 0
    /// All-reduces complete when their backward pass ended: communication
    /// that overlapped computation entirely.
    public private(set) var bucketsDoneEarly = 0
    /// Seconds inside MPI calls for gradients (starting, progressing, waiting, unpacking).
    public private(set) var callSeconds = 0.0
    /// Seconds ``MPIGradientReducer/reduce(_:)`` spent after the backward pass:
    /// the communication that did not hide behind it.
    public private(set) var waitSeconds = 0.0

    mutating func record(bytes: Int, buckets: Int, early: Int, doneEarly: Int, callSeconds: Double, waitSeconds: Double) {
        steps += 1
        self.bytes += bytes
        self.buckets += buckets
        earlyBuckets += early
        bucketsDoneEarly += doneEarly
        self.callSeconds += callSeconds
        self.waitSeconds += waitSeconds
    }

    /// Bytes all-reduced per step.
    public var bytesPerStep: Double { steps == 0 ? 0 : Double(bytes) / Double(steps) }
    /// Mean exposed milliseconds per step (``waitSeconds`` / steps).
    public var waitMillisecondsPerStep: Double { steps == 0 ? 0 : waitSeconds * 1000 / Double(steps) }
    /// Mean milliseconds in MPI calls per step.
    public var callMillisecondsPerStep: Double { steps == 0 ? 0 : callSeconds * 1000 / Double(steps) }
}
