import Foundation

/// How many compute threads (oneDNN's OpenMP team) and loader workers a
/// process runs, decided in one place from its ``CPUBudget`` and the user's
/// settings.
///
/// Each count is, from weakest to strongest: `auto`, the environment
/// (`OMP_NUM_THREADS`, compute threads only), the pipeline file (`threads:`,
/// `workers:`), the command line (`--threads`, `--workers`). `auto` compute
/// threads take the whole budget; `auto` loader workers are at most the
/// budget, of which the loader runs only as many as keep its prefetch queue
/// from running dry (it starts with one and adds one each time the consumer
/// has to wait, see `LoaderOptions.growsWorkers`). So the two share the
/// budget by measurement: a loader that keeps up sleeps on one worker while
/// the compute team has the cores, and a loader that does not gets them
/// while the compute team waits for its batches.
///
/// ```swift
/// let plan = try ThreadPlan(threads: .init(file: .fixed(1)), workers: .init(flag: .auto))
/// print(plan)   // CPU budget 2 CPUs (processor count); compute threads 1 (file); loader workers up to 2 (auto)
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
    /// Threads inside each kernel call (oneDNN's OpenMP team, the caller included).
    public var computeThreads: Int
    public var computeOrigin: Origin
    /// Loader workers: the count when set, the most it may grow to when `auto`.
    public var loaderWorkers: Int
    public var loaderOrigin: Origin

    /// Whether the loader starts with one worker and grows to ``loaderWorkers`` as its queue runs dry.
    public var loaderGrows: Bool { loaderOrigin == .auto }

    /// Resolves both counts.
    /// - Parameter environment: where `OMP_NUM_THREADS` is read (its first entry, as OpenMP reads a list).
    /// - Throws: ``ThreadCountError`` when `OMP_NUM_THREADS` is set to something other than a positive integer.
    public init(budget: CPUBudget = .current, environment: [String: String] = ProcessInfo.processInfo.environment,
                threads: Request = Request(), workers: Request = Request()) throws(ThreadCountError) {
        var omp: ThreadCount?
        if let text = environment["OMP_NUM_THREADS"], !text.isEmpty {
            let first = text.split(separator: ",", omittingEmptySubsequences: false).first ?? ""
            omp = try ThreadCount(parsing: String(first), setting: "OMP_NUM_THREADS")
            if omp == .auto { throw ThreadCountError(setting: "OMP_NUM_THREADS", value: text) }
        }
        self.budget = budget
        (computeThreads, computeOrigin) = Self.pick([(threads.flag, .flag), (threads.file, .file), (omp, .environment)],
                                                    auto: budget.cpus)
        (loaderWorkers, loaderOrigin) = Self.pick([(workers.flag, .flag), (workers.file, .file)], auto: budget.cpus)
    }

    /// The plan of a process that sets nothing itself: the library's defaults
    /// (`LoaderOptions`, `ThreadingPolicy`, `ComputeThreads`). An invalid
    /// `OMP_NUM_THREADS` is ignored here, as libgomp ignores it; the command line reports it.
    public static var automatic: ThreadPlan {
        (try? ThreadPlan()) ?? (try! ThreadPlan(environment: [:]))
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

    /// One line for logs: "CPU budget 2 CPUs (affinity mask); compute threads 2 (auto); loader workers up to 2 (auto)".
    public var description: String {
        "CPU budget \(budget); compute threads \(computeThreads) (\(computeOrigin.rawValue)); "
            + "loader workers \(loaderGrows ? "up to " : "")\(loaderWorkers) (\(loaderOrigin.rawValue))"
    }
}
