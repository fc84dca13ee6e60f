import Foundation

/// Other processes' runnable threads on the machine, counted when `auto` is resolved, so that
/// a process started beside busy ones does not plan for cores they hold.
///
/// It reads the kernel's count of runnable threads (`procs_running` in `/proc/stat`, the whole
/// machine's, running or waiting for a core) less this process's own (`R` in
/// `/proc/self/task/*/stat`), several times a few milliseconds apart, and keeps the median:
/// a process that spins (a build, `yes > /dev/null`, another training run) is runnable at every
/// reading, while a short-lived one (a shell command, a kernel worker) is missed by most.
public enum MachineLoad {
    /// The runnable threads of other processes in `samples` readings `interval` seconds apart:
    /// the lower median, so that neither a short-lived process nor a reading taken while this
    /// process's own threads came and went decides it; nil when `/proc/stat` cannot be read
    /// (then nothing is subtracted).
    /// - Parameters:
    ///   - samples: how many readings.
    ///   - interval: seconds between readings.
    ///   - read: reads `/proc/stat`.
    ///   - own: this process's runnable threads at the time of a reading (taken before and after
    ///     it; the smaller counts).
    public static func othersRunning(samples: Int = 9, interval: Double = 0.002,
                                     read: (String) -> String? = SystemFiles.read,
                                     own: () -> Int = { ownRunning(taskStats: ownTaskStats()) }) -> Int? {
        var readings: [Int] = []
        for sample in 0..<max(1, samples) {
            if sample > 0 { Thread.sleep(forTimeInterval: interval) }
            let before = own()
            guard let stat = read("/proc/stat"), let running = procsRunning(stat: stat) else { return nil }
            readings.append(max(0, running - min(before, own())))
        }
        return readings.sorted()[(readings.count - 1) / 2]
    }

    /// `procs_running N` of `/proc/stat`.
    public static func procsRunning(stat: String) -> Int? {
        for line in stat.split(separator: "\n") where line.hasPrefix("procs_running ") {
            return Int(line.dropFirst("procs_running ".count).trimmingWhitespace)
        }
        return nil
    }

    /// How many of a process's `/proc/<pid>/task/<tid>/stat` texts are in state `R`
    /// (the field after the command's closing parenthesis).
    public static func ownRunning(taskStats: [String]) -> Int {
        taskStats.count { stat in
            guard let close = stat.lastIndex(of: ")") else { return false }
            return stat[stat.index(after: close)...].trimmingWhitespace.first == "R"
        }
    }

    /// The `stat` texts of this process's threads.
    public static func ownTaskStats() -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { SystemFiles.read("/proc/self/task/\($0)/stat") }
    }
}
