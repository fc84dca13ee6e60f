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
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                      error: String(decoding: errData, as: UTF8.self))
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
