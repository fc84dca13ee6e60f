import Foundation

/// Runs the built `augment` executable, as a user would, and captures what it prints.
struct CommandRunner {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `augment` beside the test bundle in the build's products folder.
    static var executable: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("augment").path),
              folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("augment")
    }

    static func run(_ arguments: [String], in directory: URL = repository) throws -> Result {
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
    static func train(_ yaml: String, in folder: URL, name: String = "pipeline.yaml") throws -> Result {
        let pipeline = folder.appendingPathComponent(name)
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        return try run(["train", pipeline.path, "--out", folder.appendingPathComponent("run").path])
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("augment-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Copies the first `count` digits of each class in `classes` from samples/digits/`split`.
    static func digits(_ split: String, classes: [String], count: Int, into root: URL) throws {
        for name in classes {
            let source = repository.appendingPathComponent("samples/digits/\(split)/\(name)")
            let target = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().prefix(count) {
                try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
            }
        }
    }
}
