import Foundation
import Testing
import TestSupport

/// `augment bench decode DIR` reads a folder of class sub-folders, as `inspect` and `train` do.
@Suite struct BenchDecodeCommandTests {
    @Test func decodesEveryClassFolder() throws {
        let temporary = try TemporaryDirectory()
        let folder = temporary.url
        try CommandRunner.digits("train", classes: ["0", "1"], count: 3, into: folder)
        let result = try CommandRunner.run(["bench", "decode", folder.path, "--threads", "1", "--runs", "1"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("6 files from \(folder.path)"))
    }
}
