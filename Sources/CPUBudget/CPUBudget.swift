#if canImport(Glibc)
import Glibc
#endif

/// How many CPUs this process may keep busy, and why: the smallest of the
/// machine's online processors, the affinity mask (`taskset`, `mpirun
/// --bind-to`) and the cgroup CPU quota (containers, CI runners), at least 1.
///
/// Foundation's `activeProcessorCount` sees none of the last two, so every
/// thread count in Augment derives from ``current`` instead (see ``ThreadPlan``).
public struct CPUBudget: Sendable, Equatable, CustomStringConvertible {
    /// CPUs available to this process (≥ 1).
    public var cpus: Int
    /// What limited it, e.g. "affinity mask" or "cgroup quota /sys/fs/cgroup/cpu.max (150000 100000)".
    public var origin: String

    /// The budget from measured inputs: `processors` online, `affinity` CPUs
    /// in the mask (nil: unknown), and the cgroup `quota` with its file (nil: none).
    public init(processors: Int, affinity: Int?, quota: (quota: CPUQuota, file: String)?) {
        var cpus = max(1, processors)
        var origin = "processor count"
        if let affinity, affinity < cpus { (cpus, origin) = (affinity, "affinity mask") }
        if let quota, quota.quota.cpus < cpus {
            (cpus, origin) = (quota.quota.cpus, "cgroup quota \(quota.file) (\(quota.quota.quota) \(quota.quota.period))")
        }
        self.cpus = cpus
        self.origin = origin
    }

    /// This process's budget, read once from the affinity mask, the cgroup files and the processor count.
    public static let current = CPUBudget(processors: onlineProcessors(), affinity: AffinityMask.cpuCount(),
                                          quota: CgroupFiles().quota())

    /// "2 CPUs (affinity mask)".
    public var description: String { "\(cpus) CPU\(cpus == 1 ? "" : "s") (\(origin))" }

    private static func onlineProcessors() -> Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }
}
