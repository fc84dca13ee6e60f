import Foundation
import Testing
import TestSupport

/// `augment inspect`, run as a user runs it: what it prints and how it exits.
@Suite struct InspectCommandTests {
    @Test func summarisesTheSamplePhotos() throws {
        let result = try CommandRunner.run(["inspect", "samples/photos"])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "samples/photos: 9 readable images in 3 classes")
        #expect(Array(lines.dropFirst().prefix(3)) == ["  animals  2", "  objects  3", "  space    4"])
        #expect(lines.contains("formats: jpeg 3, png 4, tiff 2"))
        #expect(lines.last == "unreadable: 0")
    }

    @Test func exitsWithOneAndNamesAnUnreadableFile() throws {
        let folder = try TemporaryDirectory()
        try folder.write("broken/cut.jpg", bytes: Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00]))
        let result = try CommandRunner.run(["inspect", folder.path])
        #expect(result.status == 1)
        #expect(result.output.contains("unreadable: 1\n  \(folder.path("broken/cut.jpg")): truncated"))
    }

    @Test func exitsWithTwoForAMissingPath() throws {
        let result = try CommandRunner.run(["inspect", "no/such/folder"])
        #expect(result.status == 2)
        #expect(result.error.contains("no/such/folder"))
    }
}
