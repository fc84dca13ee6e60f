import Foundation

/// How many compute threads (oneDNN's OpenMP team) and loader workers a
/// process runs, decided in one place from its ``CPUBudget`` and the user's
/// settings.
///
/// Each count is, from weakest to strongest: `auto`, the environment
/// (`OMP_NUM_THREADS`, compute threads only), the pipeline file (`threads:`,
/// `workers:`), the command line (`--threads`, `--workers`).
///
/// `auto` gives the loader the whole budget, and the compute team the CPUs
/// left free: the budget, but no more than the machine's processors less the
/// threads other processes keep runnable (``MachineLoad``), and at least 1.
/// Idle that is the whole budget for both, the split measured best on the
/// 2-core machine (README, "Threads on a busy machine"): loader workers
/// sleep as soon as their prefetch window is full, so they and the compute
/// team take turns rather than compete, and a loader started with fewer
/// workers (1, or one more each time the consumer had to wait) made the
/// digits demo 20–25 % slower idle and no faster under load. Beside busy
/// processes the compute team is smaller: a team of 2 on 2 cores shared with
/// 2 spinning processes waits at every parallel region for whichever thread
/// was preempted (0.81–0.87× of 1 thread in some sittings), while loader
/// workers never wait for each other, and 2 of them beside 1 compute thread
/// trained the digits demo 5 % faster than 1 and 1.
///
/// Training may also run as **replicas**: copies of the model on threads of
/// their own, each stepping on its share of every batch, their gradients
/// summed once a step (`ReplicaGroup` in `Training`). `auto` takes them when
/// the compute count is `auto` too and the batch is known: as many replicas
/// as the budget holds, each with at least ``minimumReplicaBatch`` samples of
/// an evenly split batch (``automaticReplicas(budget:batchSize:)``), each with
/// the free CPUs' share as its team. Replicas meet a few times a step instead
/// of at each of a step's ~30 parallel regions, so they are not counted down
/// under load: on the 2-core machine beside 2 spinning processes, 2 replicas
/// of 1 thread trained the small course model at 5,674–5,703 samples/s
/// against 4,481–4,740 for 1 thread, and idle at 11,565–12,032 against
/// 11,118–11,524 for a team of 2 (README, "Threads on a busy machine"). A
/// compute count the user set keeps one team (1 replica) unless replicas are
/// set too.
///
/// ```swift
/// let plan = try ThreadPlan(threads: .init(file: .fixed(1)), workers: .init(flag: .auto))
/// print(plan)   // CPU budget 2 CPUs (processor count); compute threads 1 (file); loader workers 2 (auto)
/// ```
public struct ThreadPlan: Sendable, Equatable, CustomStringConvertible {
    /// Which setting decided a count.
    public enum Origin: String, Sendable, Codable {
        case auto
        case environment
        case file
        case flag
    }

    /// One count as the user may set it in the pipeline file and on the command line.
    public struct Request: Sendable, Equatable {
        /// From the pipeline file; nil when the file does not set it.
        public var file: ThreadCount?
        /// From the command line; nil when the flag is absent.
        public var flag: ThreadCount?

        public init(file: ThreadCount? = nil, flag: ThreadCount? = nil) {
            self.file = file
            self.flag = flag
        }
    }

    /// The CPUs the process may use.
    public var budget: CPUBudget
    /// Threads inside each kernel call (oneDNN's OpenMP team, the caller
    /// included), per replica when there are several.
    public var computeThreads: Int
    public var computeOrigin: Origin
    /// Model replicas training side by side, each on `computeThreads` threads (1: one model).
    public var replicas: Int
    public var replicasOrigin: Origin
    /// Loader workers rendering samples.
    public var loaderWorkers: Int
    public var loaderOrigin: Origin
    /// Runnable threads of other processes when the plan was made (0 when none or not measured).
    public var othersRunning: Int

    /// Resolves both counts.
    /// - Parameters:
    ///   - budget: the CPUs this process may use.
    ///   - environment: where `OMP_NUM_THREADS` is read (its first entry, as OpenMP reads a list).
    ///   - threads: the compute-thread count asked for by the pipeline file and the command line.
    ///   - workers: the loader-worker count asked for by the pipeline file and the command line.
    ///   - replicas: the model replicas asked for by the pipeline file and the command line.
    ///   - batchSize: the training batch that `auto` replicas split; nil (no training, or not
    ///     known) keeps `auto` at 1 replica.
    ///   - processes: the processes of an MPI run, each of which trains one replica: `auto` is
    ///     then 1 replica, and more are refused.
    ///   - othersRunning: other processes' runnable threads; nil measures them (``MachineLoad``)
    ///     when the compute count is left to `auto`.
    /// - Throws: ``ThreadCountError`` when `OMP_NUM_THREADS` is set to something other than a
    ///   positive integer, or the replicas asked for do not split `batchSize` evenly or come
    ///   with several MPI processes.
    public init(budget: CPUBudget = .current, environment: [String: String] = ProcessInfo.processInfo.environment,
                threads: Request = Request(), workers: Request = Request(), replicas: Request = Request(),
                batchSize: Int? = nil, processes: Int = 1, othersRunning: Int? = nil) throws(ThreadCountError) {
        var omp: ThreadCount?
        if let text = environment["OMP_NUM_THREADS"], !text.isEmpty {
            let first = text.split(separator: ",", omittingEmptySubsequences: false).first ?? ""
            omp = try ThreadCount(parsing: String(first), setting: "OMP_NUM_THREADS")
            if omp == .auto { throw ThreadCountError(setting: "OMP_NUM_THREADS", value: text) }
        }
        self.budget = budget
        let compute = [(threads.flag, .flag), (threads.file, .file), (omp, .environment)] as [(ThreadCount?, Origin)]
        let loader = [(workers.flag, .flag), (workers.file, .file)] as [(ThreadCount?, Origin)]
        let needsAuto = Self.pick(compute, auto: 0).1 == .auto
        self.othersRunning = othersRunning ?? (needsAuto ? MachineLoad.othersRunning() ?? 0 : 0)
        let free = Self.automaticCount(budget: budget.cpus, processors: budget.processors, othersRunning: self.othersRunning)
        let automaticReplicas = needsAuto && processes == 1
            ? batchSize.map { Self.automaticReplicas(budget: budget.cpus, batchSize: $0) } ?? 1 : 1
        (self.replicas, replicasOrigin) = Self.pick([(replicas.flag, .flag), (replicas.file, .file)], auto: automaticReplicas)
        let setting = replicasOrigin == .flag ? "--replicas" : "training.replicas"
        if processes > 1, self.replicas > 1 {
            throw ThreadCountError(setting: setting, value: String(self.replicas),
                                   reason: "cannot combine with \(processes) MPI processes: each process trains one replica")
        }
        if let batchSize, batchSize % self.replicas != 0 {
            throw ThreadCountError(setting: setting, value: String(self.replicas), reason: "does not split the batch of \(batchSize) evenly")
        }
        (computeThreads, computeOrigin) = Self.pick(compute, auto: max(1, free / self.replicas))
        (loaderWorkers, loaderOrigin) = Self.pick(loader, auto: budget.cpus)
    }

    /// The fewest samples a replica trains on per step when `auto` chooses replicas.
    public static let minimumReplicaBatch = 16

    /// What `auto` resolves the replicas to: the most, up to the budget, that split
    /// `batchSize` evenly into shares of at least ``minimumReplicaBatch`` (2 CPUs: 2 for
    /// batches of 32 and 64, 1 for 24; 16 CPUs and a batch of 64: 4), at least 1.
    public static func automaticReplicas(budget: Int, batchSize: Int) -> Int {
        let most = min(budget, batchSize / minimumReplicaBatch)
        return (1...max(1, most)).last { batchSize % $0 == 0 } ?? 1
    }

    /// What `auto` resolves the compute threads to: the budget, but no more than the processors the other
    /// processes' runnable threads leave free, and at least 1 (2 CPUs with 2 spinning
    /// processes: 1; a 4-CPU quota on a 64-core host running 60 threads: 4).
    public static func automaticCount(budget: Int, processors: Int, othersRunning: Int) -> Int {
        max(1, min(budget, processors - othersRunning))
    }

    /// The plan of a process that sets nothing itself: the library's defaults
    /// (`LoaderOptions`, `ThreadingPolicy`, `ComputeThreads`). It takes the budget without
    /// counting other processes, so that a program's defaults do not change with the load of
    /// the moment it asks (the `augment` commands count them). An invalid `OMP_NUM_THREADS` is
    /// ignored here, as libgomp ignores it; the command line reports it.
    public static var automatic: ThreadPlan {
        (try? ThreadPlan(othersRunning: 0)) ?? (try! ThreadPlan(environment: [:], othersRunning: 0))
    }

    /// The strongest setting that is a number, or `auto`'s count.
    private static func pick(_ layers: [(ThreadCount?, Origin)], auto: Int) -> (Int, Origin) {
        for case (let count?, let origin) in layers {
            switch count {
            case .fixed(let value): return (value, origin)
            case .auto: return (auto, .auto)
            }
        }
        return (auto, .auto)
    }

    /// One line for logs: "CPU budget 2 CPUs (affinity mask); compute threads 2 (auto); loader workers 2 (auto)",
    /// with "2 threads of other processes running; " after the budget when there were any.
    public var description: String {
        let others = othersRunning > 0 ? "\(othersRunning) thread\(othersRunning == 1 ? "" : "s") of other processes running; " : ""
        let replicated = replicas > 1 || replicasOrigin != .auto
            ? " × \(replicas) replica\(replicas == 1 ? "" : "s") (\(replicasOrigin.rawValue))" : ""
        return "CPU budget \(budget); \(others)compute threads \(computeThreads) (\(computeOrigin.rawValue))\(replicated); "
            + "loader workers \(loaderWorkers) (\(loaderOrigin.rawValue))"
    }
}
