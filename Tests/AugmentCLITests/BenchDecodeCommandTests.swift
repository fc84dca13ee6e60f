import Foundation
import Testing

/// `augment bench decode DIR` reads a folder of class sub-folders, as `inspect` and `train` do.
@Suite struct BenchDecodeCommandTests {
    @Test func decodesEveryClassFolder() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CommandRunner.digits("train", classes: ["0", "1"], count: 3, into: folder)
        let result = try CommandRunner.run(["bench", "decode", folder.path, "--threads", "1", "--repeat", "1"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("6 files from \(folder.path)"))
    }
}
