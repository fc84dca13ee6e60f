import Foundation

/// The built `augment` executable running in the background, for tests that
/// signal or kill it mid-run. Every wait is bounded; a process still running
/// when its handle is dropped is killed (SIGKILL), so no test leaves one behind.
///
/// ```swift
/// let running = try RunningCommand(["train", "p.yaml", "--out", "run"], in: folder)
/// try running.waitForOutput(containing: "Epoch 2/")
/// running.signal(SIGINT)
/// let result = try running.wait()
/// #expect(result.status == 130)
/// ```
public final class RunningCommand: @unchecked Sendable {
    /// A command that did not reach what a test waited for in time.
    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    private let process = Process()
    private let out = Pipe(), err = Pipe()
    private let lock = NSLock()
    private var outputData = Data()
    private var errorData = Data()

    /// Starts `augment arguments…` in `directory` with `environment` added to this process's.
    public init(_ arguments: [String], in directory: URL = RepositoryFiles.root,
                environment: [String: String] = [:]) throws {
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.append(handle.availableData, error: false) }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.append(handle.availableData, error: true) }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private func append(_ data: Data, error: Bool) {
        lock.withLock { if error { errorData += data } else { outputData += data } }
    }

    /// Standard output so far.
    public var output: String { lock.withLock { String(decoding: outputData, as: UTF8.self) } }

    /// Waits until standard output contains `text`.
    /// - Throws: ``Timeout`` after `seconds`, or when the process ends first.
    public func waitForOutput(containing text: String, seconds: Double = 60) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !output.contains(text) {
            guard process.isRunning else { throw Timeout(description: "ended before printing '\(text)': \(output)") }
            guard Date() < deadline else { throw Timeout(description: "no '\(text)' within \(seconds) s: \(output)") }
            usleep(2_000)
        }
    }

    /// Sends `signal` (SIGINT, SIGTERM, SIGKILL) to the process.
    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits (at most `seconds`) until no `signal` is pending for the process: its handler has
    /// taken the last one sent, so the next one is not merged into it.
    public func waitUntilDelivered(_ signal: Int32, seconds: Double = 10) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
            let pending = status.split(separator: "\n").filter { $0.hasPrefix("ShdPnd:") || $0.hasPrefix("SigPnd:") }
                .compactMap { UInt64($0.split(separator: "\t").last ?? "", radix: 16) }
            if pending.allSatisfy({ $0 & (1 << UInt64(signal - 1)) == 0 }) { return }
            guard Date() < deadline else { throw Timeout(description: "signal \(signal) still pending after \(seconds) s") }
            usleep(500)
        }
    }

    /// Waits for the end and returns what the run printed; `status` is the exit status,
    /// or 128 + the signal's number when a signal ended it (as a shell reports it).
    /// - Throws: ``Timeout`` (after killing the process) when it runs longer than `seconds`.
    public func wait(seconds: Double = 120) throws -> CommandRunner.Result {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw Timeout(description: "still running after \(seconds) s: \(output)")
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        for (pipe, isError) in [(out, false), (err, true)] {
            pipe.fileHandleForReading.readabilityHandler = nil
            append(pipe.fileHandleForReading.readDataToEndOfFile(), error: isError)
        }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return lock.withLock {
            CommandRunner.Result(status: status, output: String(decoding: outputData, as: UTF8.self),
                                 error: String(decoding: errorData, as: UTF8.self))
        }
    }
}
