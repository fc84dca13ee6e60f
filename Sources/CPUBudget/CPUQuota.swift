/// A cgroup CPU bandwidth limit: `quota` microseconds of CPU time per
/// `period` microseconds, so `quota / period` CPUs on average.
public struct CPUQuota: Sendable, Equatable {
    /// Microseconds of CPU time allowed per period (> 0).
    public var quota: Int
    /// Length of the accounting period in microseconds (> 0).
    public var period: Int

    /// The CPUs the quota allows, rounded up and at least 1: a 1.5-CPU quota
    /// leaves room for 2 threads that each run three quarters of the time.
    public var cpus: Int { max(1, (quota + period - 1) / period) }

    /// Parses cgroup v2's `cpu.max` ("max 100000" is no limit, "200000 100000" is 2 CPUs).
    /// - Returns: nil for "max" or text that is not a positive quota and period.
    public static func cgroupV2(cpuMax text: String) -> CPUQuota? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard let first = fields.first, first != "max", let quota = Int(first) else { return nil }
        let period = fields.count > 1 ? Int(fields[1]) : 100_000
        return make(quota: quota, period: period)
    }

    /// Parses cgroup v1's `cpu.cfs_quota_us` and `cpu.cfs_period_us` (a quota of -1 is no limit).
    public static func cgroupV1(quota quotaText: String, period periodText: String) -> CPUQuota? {
        make(quota: Int(quotaText.trimmingWhitespace), period: Int(periodText.trimmingWhitespace))
    }

    private static func make(quota: Int?, period: Int?) -> CPUQuota? {
        guard let quota, let period, quota > 0, period > 0 else { return nil }
        return CPUQuota(quota: quota, period: period)
    }
}

extension StringProtocol {
    var trimmingWhitespace: Substring {
        let text = Substring(self)
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return text[first...last]
    }
}
