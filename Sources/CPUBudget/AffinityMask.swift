/// The CPUs this process may run on: its scheduler affinity mask, as
/// `taskset`, `numactl` and `mpirun --bind-to` set it, read from the
/// `Cpus_allowed_list` line of `/proc/self/status` (the kernel's rendering of
/// `sched_getaffinity`).
public enum AffinityMask {
    /// How many CPUs this process's mask allows, or nil when it cannot be read.
    public static func cpuCount(status: String? = SystemFiles.read("/proc/self/status")) -> Int? {
        guard let status else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
            return cpuCount(list: line.dropFirst("Cpus_allowed_list:".count))
        }
        return nil
    }

    /// Counts a CPU list such as "0-3,8,10-11" (7); nil when it is malformed or empty.
    public static func cpuCount(list: Substring) -> Int? {
        var count = 0
        for part in list.trimmingWhitespace.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard let low = bounds.first ?? nil, let high = bounds.last ?? nil, bounds.count <= 2, low <= high
            else { return nil }
            count += high - low + 1
        }
        return count > 0 ? count : nil
    }
}
