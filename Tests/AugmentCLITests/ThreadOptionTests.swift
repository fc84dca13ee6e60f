import Foundation
import Testing
import TestSupport

/// Thread counts on the command line and in pipeline files, the first log line, and `--load`.
@Suite struct ThreadOptionTests {
    /// The model and training sections of the bad-input tests, ready for a `training` key.
    static let model = BadInputTests.model + "\n"

    /// A temporary folder (removed with the value) holding a two-class `train` folder of digits.
    func trainFolder() throws -> TemporaryDirectory {
        let temporary = try TemporaryDirectory()
        try CommandRunner.digits("train", classes: ["0", "1"], count: 3, into: temporary.url.appendingPathComponent("train"))
        return temporary
    }

    @Test func badCountsAreNamed() throws {
        let zero = try CommandRunner.run(["bench", "train", "--threads", "0"])
        #expect(zero.status != 0)
        #expect(zero.error.contains("--threads must be auto or a positive integer, got '0'"))
        let temporary = try trainFolder()
        let folder = temporary.url
        let negative = try CommandRunner.train("data:\n  directory: train\n  batch_size: 2\n" + Self.model
                                                   + "  threads: -1\n", in: folder, name: "bad.yaml")
        #expect(negative.status != 0)
        #expect(negative.error.contains("training.threads: must be auto or a positive integer, got '-1'"))
        let replicas = try CommandRunner.train("data:\n  directory: train\n  batch_size: 2\n" + Self.model
                                                   + "  replicas: 0\n", in: folder, name: "bad.yaml")
        #expect(replicas.status != 0)
        #expect(replicas.error.contains("training.replicas: must be auto or a positive integer, got '0'"), "\(replicas.error)")
        let uneven = try CommandRunner.train("data:\n  directory: train\n  batch_size: 3\n" + Self.model
                                                 + "  replicas: 2\n", in: folder, name: "bad.yaml")
        #expect(uneven.status != 0)
        #expect(uneven.error.contains("training.replicas 2 does not split the batch of 3 evenly"), "\(uneven.error)")
        let flag = try CommandRunner.run(["bench", "train", "--replicas", "two"])
        #expect(flag.status != 0)
        #expect(flag.error.contains("--replicas must be auto or a positive integer, got 'two'"), "\(flag.error)")
    }

    @Test func firstLineAndResolvedFileNameThePlan() throws {
        let temporary = try trainFolder()
        let folder = temporary.url
        let yaml = "data:\n  directory: train\n  batch_size: 2\n  workers: auto\n" + Self.model + "  threads: 2\n"
        let pipeline = folder.appendingPathComponent("pipeline.yaml")
        try yaml.write(to: pipeline, atomically: true, encoding: .utf8)
        let run = folder.appendingPathComponent("run")
        let result = try CommandRunner.run(["train", pipeline.path, "--out", run.path, "--threads", "1"])
        #expect(result.status == 0, "\(result.error)")
        #if DEBUG
        #expect(result.error.contains("warning: this augment is a debug build"))
        #endif
        let first = result.output.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Threads: CPU budget "))
        #expect(first.contains("compute threads 1 (flag); loader workers "))
        #expect(first.contains("(auto); libgomp wait: GOMP_SPINCOUNT=2000"))
        let resolved = try String(contentsOf: run.appendingPathComponent("pipeline.resolved.yaml"), encoding: .utf8)
        #expect(resolved.hasPrefix("# " + first + "\n"))
        #expect(resolved.contains("threads: 1"))
        #expect(resolved.contains("workers: "))
    }

    /// The busy processes of `--load` end with the benchmark, also when it fails.
    @Test func loadHelpersStopWhenTheBenchmarkFails() throws {
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = ["bench", "pipeline", "/nonexistent-augment-folder", "--load", "2"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let parent = process.processIdentifier
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(spinners(of: parent).isEmpty)
    }

    /// Processes whose command line is `augment bench _spin --parent PID`.
    func spinners(of parent: Int32) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int32(entry) != nil,
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.contains("_spin") && arguments.last == String(parent)
        }
    }
}
