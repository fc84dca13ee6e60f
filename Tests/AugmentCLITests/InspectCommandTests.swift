import ArgumentParser
import Foundation
import Testing
@testable import AugmentCLI

@Suite struct InspectCommandTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func succeedsOnTheSamplePhotos() throws {
        let command = try InspectCommand.parse([Self.repository.appendingPathComponent("samples/photos").path])
        try command.run()
    }

    @Test func exitsNonZeroWhenAFileIsUnreadable() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("augment-cli-inspect-\(UUID())")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("broken"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00]).write(to: root.appendingPathComponent("broken/cut.jpg"))
        let command = try InspectCommand.parse([root.path])
        let error = #expect(throws: ExitCode.self) { try command.run() }
        #expect(error?.rawValue == 1)
    }
}
