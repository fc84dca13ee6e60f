/// Finds this process's CPU quota in the cgroup file systems.
///
/// cgroup v2: `cpu.max` in the process's own group (the `0::/path` line of
/// `/proc/self/cgroup`) and in every group above it, the smallest limit
/// winning; inside a container with its own cgroup namespace the path is `/`
/// and the container's limit is `/sys/fs/cgroup/cpu.max`. cgroup v1: the
/// `cpu` controller's `cpu.cfs_quota_us` and `cpu.cfs_period_us`, at the
/// process's group and at the hierarchy's root. Missing files mean no limit.
public struct CgroupFiles: Sendable {
    /// Where the cgroup file systems are mounted (`/sys/fs/cgroup`; a fixture folder in tests).
    public var mountPoint: String
    /// The contents of `/proc/self/cgroup`, or nil when unreadable.
    public var membership: String?
    /// Reads a file's text, nil when it is missing or unreadable.
    public var read: @Sendable (String) -> String?

    public init(mountPoint: String = "/sys/fs/cgroup",
                membership: String? = SystemFiles.read("/proc/self/cgroup"),
                read: @escaping @Sendable (String) -> String? = SystemFiles.read) {
        self.mountPoint = mountPoint
        self.membership = membership
        self.read = read
    }

    /// The tightest quota that applies, and the file it came from.
    public func quota() -> (quota: CPUQuota, file: String)? {
        var found: [(quota: CPUQuota, file: String)] = []
        for directory in directories(controller: nil) {
            let file = directory + "/cpu.max"
            if let text = read(file), let quota = CPUQuota.cgroupV2(cpuMax: text) { found.append((quota, file)) }
        }
        for directory in directories(controller: "cpu") {
            let file = directory + "/cpu.cfs_quota_us"
            if let quotaText = read(file), let periodText = read(directory + "/cpu.cfs_period_us"),
               let quota = CPUQuota.cgroupV1(quota: quotaText, period: periodText) {
                found.append((quota, file))
            }
        }
        return found.min { $0.quota.cpus < $1.quota.cpus }
    }

    /// The group folders to look in: the process's own group and its ancestors,
    /// under the v2 mount (`controller` nil) or the v1 controller's mounts.
    func directories(controller: String?) -> [String] {
        let roots = controller.map { ["\(mountPoint)/\($0)", "\(mountPoint)/cpu,cpuacct", "\(mountPoint)/cpuacct,cpu"] }
            ?? [mountPoint]
        var groups = ["/"]
        for line in (membership ?? "").split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let controllers = fields[1].split(separator: ",")
            let matches = controller.map { controllers.contains(Substring($0)) } ?? (fields[0] == "0" && fields[1].isEmpty)
            if matches { groups = ancestry(of: String(fields[2])) }
        }
        var seen = Set<String>()
        return roots.flatMap { root in groups.map { root + ($0 == "/" ? "" : $0) } }.filter { seen.insert($0).inserted }
    }

    /// "/a/b" → ["/a/b", "/a", "/"].
    private func ancestry(of path: String) -> [String] {
        var parts = path.split(separator: "/").map(String.init)
        var result: [String] = []
        while !parts.isEmpty {
            result.append("/" + parts.joined(separator: "/"))
            parts.removeLast()
        }
        return result + ["/"]
    }
}

extension CgroupFiles {
    /// The tightest memory limit that applies, in bytes, and the file it came from: cgroup v2
    /// `memory.max` (`max` is none) in the process's group and its ancestors, v1
    /// `memory.limit_in_bytes` (a huge number means none). Nil when no limit applies.
    public func memoryLimit() -> (bytes: Int, file: String)? {
        var found: [(bytes: Int, file: String)] = []
        for directory in directories(controller: nil) {
            let file = directory + "/memory.max"
            if let text = read(file), let bytes = Int(text.trimmingWhitespace) { found.append((bytes, file)) }
        }
        for directory in directories(controller: "memory") {
            let file = directory + "/memory.limit_in_bytes"
            // v1 writes "no limit" as the largest page-aligned value (about 2^63).
            if let text = read(file), let bytes = Int(text.trimmingWhitespace), bytes < 1 << 62 { found.append((bytes, file)) }
        }
        return found.min { $0.bytes < $1.bytes }
    }
}
