import Foundation
import Testing
import TestSupport

/// `augment train` on the one-line mistakes that once aborted in the allocator (exit 134):
/// a named error and a failing status instead, under this machine's own default limit.
@Suite struct MemoryLimitCommandTests {
    func train(_ fixture: String, _ extra: [String] = []) throws -> CommandRunner.Result {
        let folder = try TemporaryDirectory()
        let pipeline = RepositoryFiles.fixture("WorkflowsTests", "hostile/" + fixture).path
        return try CommandRunner.run(["train", pipeline, "--out", folder.path("run")] + extra)
    }

    @Test(arguments: [("memory-batch-size.yaml", "data.batch_size: the batch pool"),
                      ("memory-target-size.yaml", "data.target_size: the batch pool"),
                      ("memory-dense-units.yaml", "model.layers: layer 'dense' kernel [784, 2000000000]")])
    func namedErrorInsteadOfAnAbort(_ fixture: String, _ message: String) throws {
        let result = try train(fixture)
        #expect(result.status == 1, "\(result.error)")
        #expect(result.error.contains("\(fixture): \(message)"), "\(result.error)")
        #expect(result.error.contains("more than the memory limit of"))
        #expect(result.error.contains("(80% of "))
        #expect(!result.error.contains("Fatal error"))
    }

    @Test func theFlagOverridesTheDefault() throws {
        let result = try train("memory-batch-size.yaml", ["--memory-limit", "1MB"])
        #expect(result.status == 1)
        #expect(result.error.contains("more than the memory limit of 1.0 MB (--memory-limit)"), "\(result.error)")
        let bad = try train("memory-batch-size.yaml", ["--memory-limit", "lots"])
        #expect(bad.status == 64)
        #expect(bad.error.contains("--memory-limit: expected a size such as 8GB, 512MiB, 2000000000 or 50%, got 'lots'"), "\(bad.error)")
    }
}
