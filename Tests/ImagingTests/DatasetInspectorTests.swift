import Foundation
import Testing
@testable import Imaging

@Suite struct DatasetInspectorTests {
    /// A temporary class-folder tree: cats (2 good), dogs (1 good, 1 truncated, 1 text file named .png), notes.txt.
    private func makeTree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("augment-inspect-\(UUID())")
        for folder in ["cats", "dogs"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let png = try FixtureFiles.bytes("codecs", "png-rgb-8.png")
        let jpeg = try FixtureFiles.bytes("codecs", "jpeg-64x48.jpg")
        try Data(png).write(to: root.appendingPathComponent("cats/a.png"))
        try Data(jpeg).write(to: root.appendingPathComponent("cats/b.jpeg"))
        try Data(png).write(to: root.appendingPathComponent("dogs/c.jpg"))
        try Data(jpeg.prefix(200)).write(to: root.appendingPathComponent("dogs/cut.jpg"))
        try Data("hello".utf8).write(to: root.appendingPathComponent("dogs/text.png"))
        try Data("notes".utf8).write(to: root.appendingPathComponent("notes.txt"))
        return root
    }

    @Test func reportsClassesFormatsSizesAndUnreadableFiles() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let report = try DatasetInspector().inspect(root.path)
        #expect(report.classes == [.init(name: "cats", imageCount: 2), .init(name: "dogs", imageCount: 1)])
        #expect(report.formats == [.png: 2, .jpeg: 1])
        #expect(report.widthRange == 13...64 && report.heightRange == 9...48)
        #expect(report.skippedCount == 1)
        #expect(report.unreadable.map { ($0.path as NSString).lastPathComponent } == ["cut.jpg", "text.png"])
        #expect(report.unreadable.map(\.error.kind) == [.truncated, .unsupportedFormat])
        #expect(report.rendered().contains("cut.jpg: truncated"))
    }

    @Test func inspectsASingleFileAndRefusesMissingPaths() throws {
        let report = try DatasetInspector().inspect(FixtureFiles.path("codecs", "tiff-tiled-rgb.tif"))
        #expect(report.imageCount == 1 && report.formats == [.tiff: 1])
        let error = #expect(throws: ImageError.self) { _ = try DatasetInspector().inspect("/nonexistent/augment") }
        #expect(error?.kind == .io)
    }
}
