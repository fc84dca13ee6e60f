import Foundation

/// `--load N`: N processes that keep one core busy each for the length of a
/// measurement, as `yes > /dev/null` does, so a benchmark can be run the way
/// users meet a shared machine.
///
/// Each is this executable's hidden `augment bench _spin --parent PID`, which
/// also exits by itself as soon as its parent is gone (Ctrl-C, a crash,
/// `kill -9`), so none outlives the benchmark; ``stop()`` (also run on
/// deinit) ends them when it finishes or fails.
final class BusyProcesses {
    private var processes: [Process] = []

    /// Starts `count` spinning processes (none for 0).
    /// - Throws: the error of a process that could not start, after stopping those that did.
    init(count: Int) throws {
        let parent = String(ProcessInfo.processInfo.processIdentifier)
        do {
            for _ in 0..<count {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
                process.arguments = ["bench", "_spin", "--parent", parent]
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                processes.append(process)
            }
        } catch {
            stop()
            throw error
        }
    }

    /// The process ids of the spinning processes.
    var identifiers: [Int32] { processes.map(\.processIdentifier) }

    /// Ends every spinning process (SIGKILL: a child started from a Dispatch thread inherits
    /// that thread's blocked signals, SIGTERM among them) and waits for it.
    func stop() {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in processes { process.waitUntilExit() }
        processes = []
    }

    deinit { stop() }

    /// Runs `body` with `count` spinning processes, stopping them when it returns or throws.
    static func with<T>(count: Int, _ body: () throws -> T) throws -> T {
        let load = try BusyProcesses(count: count)
        defer { load.stop() }
        return try body()
    }
}
