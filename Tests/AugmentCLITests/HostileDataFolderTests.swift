import Foundation
import Testing
import TestSupport

/// A class folder holding what a hostile or careless tree holds: a FIFO and a link to
/// /dev/zero named like images, a file name with a newline, a folder link looping back.
/// `augment train` neither hangs nor crashes: `fail` names the first bad file, `skip`
/// trains on and names each one.
@Suite struct HostileDataFolderTests {
    func train(policy: String) throws -> CommandRunner.Result {
        let temporary = try TemporaryDirectory()
        let folder = temporary.url
        try CommandRunner.digits("train", classes: ["0", "1"], count: 4, into: folder.appendingPathComponent("train"))
        let one = folder.appendingPathComponent("train/1").path
        #expect(mkfifo(one + "/a_fifo.png", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: one + "/b_zero.png", withDestinationPath: "/dev/zero")
        let first = try FileManager.default.contentsOfDirectory(atPath: one).sorted().first { $0.hasSuffix(".png") && !$0.hasPrefix("a_") && !$0.hasPrefix("b_") }!
        try FileManager.default.copyItem(atPath: one + "/" + first, toPath: one + "/new\nline.png")
        try FileManager.default.createSymbolicLink(atPath: one + "/loop", withDestinationPath: folder.appendingPathComponent("train").path)
        return try CommandRunner.train("""
            data:
              directory: train
              target_size: [28, 28]
              color_mode: grayscale
              batch_size: 4
              follow_links: true
              bad_files: \(policy)
              workers: 2

            """ + BadInputTests.model, in: folder)
    }

    @Test func failNamesTheFIFOInsteadOfWaitingOnIt() throws {
        let result = try train(policy: "fail")
        #expect(result.status == 1, "\(result.error)")
        #expect(result.error.contains("not a regular file (a"), "\(result.error)")
        #expect(!result.error.contains("Fatal error"))
    }

    @Test func skipTrainsOnTheRest() throws {
        let result = try train(policy: "skip")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("a_fifo.png: io: not a regular file (a FIFO)"), "\(result.error)")
        #expect(result.error.contains("b_zero.png: io: not a regular file (a character device)"), "\(result.error)")
        #expect(!result.error.contains("line.png"), "the name with a newline decodes like any other: \(result.error)")
    }
}
