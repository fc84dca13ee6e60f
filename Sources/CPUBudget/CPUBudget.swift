import Foundation

/// How many CPUs this process may keep busy, and why: the smallest of the
/// machine's online processors, the affinity mask (`taskset`, `mpirun
/// --bind-to`), the cgroup CPU quota (containers, CI runners) and, under
/// MPI, the node's processors divided among the ranks on it; at least 1.
///
/// Foundation's `activeProcessorCount` sees none of the last two, so every
/// thread count in Augment derives from ``current`` instead (see ``ThreadPlan``).
public struct CPUBudget: Sendable, Equatable, CustomStringConvertible {
    /// CPUs available to this process (≥ 1).
    public var cpus: Int
    /// What limited it, e.g. "affinity mask" or "cgroup quota /sys/fs/cgroup/cpu.max (150000 100000)".
    public var origin: String
    /// The machine's online processors (≥ 1).
    public var processors: Int

    /// The budget from measured inputs: `processors` online, `affinity` CPUs
    /// in the mask (nil: unknown), the cgroup `quota` with its file (nil: none),
    /// and `localRanks`, the MPI ranks on this node (nil or 1: not under MPI).
    public init(processors: Int, affinity: Int?, quota: (quota: CPUQuota, file: String)?, localRanks: Int? = nil) {
        self.processors = max(1, processors)
        var cpus = max(1, processors)
        var origin = "processor count"
        if let affinity, affinity < cpus { (cpus, origin) = (affinity, "affinity mask") }
        if let localRanks, localRanks > 1, max(1, processors / localRanks) < cpus {
            (cpus, origin) = (max(1, processors / localRanks), "\(processors) processors shared by \(localRanks) MPI ranks")
        }
        if let quota, quota.quota.cpus < cpus {
            (cpus, origin) = (quota.quota.cpus, "cgroup quota \(quota.file) (\(quota.quota.quota) \(quota.quota.period))")
        }
        self.cpus = cpus
        self.origin = origin
    }

    /// This process's budget, read once from the affinity mask, the cgroup files, the processor
    /// count and the MPI launcher's ranks per node (Open MPI's `OMPI_COMM_WORLD_LOCAL_SIZE`,
    /// MPICH's `MPI_LOCALNRANKS`).
    public static let current = CPUBudget(processors: onlineProcessors(), affinity: AffinityMask.cpuCount(),
                                          quota: CgroupFiles().quota(),
                                          localRanks: localRanks(ProcessInfo.processInfo.environment))

    /// The MPI ranks on this node, from the launcher's environment; nil outside MPI.
    public static func localRanks(_ environment: [String: String]) -> Int? {
        ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"].lazy.compactMap { environment[$0].flatMap { Int($0) } }.first
    }

    /// Budgets are equal when they allow the same CPUs for the same reason, on any machine.
    public static func == (a: CPUBudget, b: CPUBudget) -> Bool { a.cpus == b.cpus && a.origin == b.origin }

    /// "2 CPUs (affinity mask)".
    public var description: String { "\(cpus) CPU\(cpus == 1 ? "" : "s") (\(origin))" }

    private static func onlineProcessors() -> Int {
        Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
