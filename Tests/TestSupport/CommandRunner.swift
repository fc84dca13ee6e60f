import Foundation

/// Runs the built `augment` executable, as a user would, and captures what it prints.
///
/// ```swift
/// let result = try CommandRunner.run(["inspect", "samples/photos"])
/// #expect(result.status == 0)
/// ```
public enum CommandRunner {
    /// What one run printed and how it ended.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var output: String
        /// Standard error.
        public var error: String
    }

    /// `augment` beside the test bundle in the build's products folder.
    public static var executable: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("augment").path),
              folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("augment")
    }

    /// Runs `augment arguments…` in `directory` (the repository root by default) to its end.
    public static func run(_ arguments: [String], in directory: URL = RepositoryFiles.root) throws -> Result {
        try run(executable, arguments, in: directory)
    }

    /// Runs `program arguments…` in `directory` with `environment` added to
    /// this process's. With a `timeout`, a run still going after that many
    /// seconds gets SIGTERM (mpirun then stops its ranks), and SIGKILL five
    /// seconds later; its status is then the signal's.
    public static func run(_ program: URL, _ arguments: [String], in directory: URL = RepositoryFiles.root,
                           environment: [String: String] = [:], timeout: Double? = nil) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let pid = process.processIdentifier
        let watchdog = timeout.map { seconds in
            let work = DispatchWorkItem {
                kill(pid, SIGTERM)
                DispatchQueue.global().asyncAfter(deadline: .now() + 5) { kill(pid, SIGKILL) }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: work)
            return work
        }
        let errData = ReadInBackground(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog?.cancel()
        return Result(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                      error: String(decoding: errData.wait(), as: UTF8.self))
    }

    /// A pipe drained on another thread, so that a child filling one pipe never blocks on the other.
    private final class ReadInBackground: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            DispatchQueue.global().async {
                self.data = handle.readDataToEndOfFile()
                self.done.signal()
            }
        }

        func wait() -> Data {
            done.wait()
            return data
        }
    }

    /// Writes `yaml` as `folder/name` and runs `augment train` on it, with the run folder `folder/run`.
    public static func train(_ yaml: String, in folder: URL, name: String = "pipeline.yaml") throws -> Result {
        let pipeline = folder.appendingPathComponent(name)
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        return try run(["train", pipeline.path, "--out", folder.appendingPathComponent("run").path])
    }

    /// Copies the first `count` digits of each class in `classes` from samples/digits/`split`.
    public static func digits(_ split: String, classes: [String], count: Int, into root: URL) throws {
        for name in classes {
            let source = RepositoryFiles.url("samples/digits/\(split)/\(name)")
            let target = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().prefix(count) {
                try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
            }
        }
    }
}
