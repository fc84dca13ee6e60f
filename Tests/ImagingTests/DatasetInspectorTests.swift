import Foundation
import Testing
import TestSupport
@testable import Imaging

@Suite struct DatasetInspectorTests {
    /// A temporary class-folder tree: cats (2 good), dogs (1 good, 1 truncated, 1 text file named .png), notes.txt.
    private func makeTree() throws -> TemporaryDirectory {
        let tree = try TemporaryDirectory()
        let png = Data(try FixtureFiles.bytes("codecs", "png-rgb-8.png"))
        let jpeg = Data(try FixtureFiles.bytes("codecs", "jpeg-64x48.jpg"))
        try tree.write("cats/a.png", bytes: png)
        try tree.write("cats/b.jpeg", bytes: jpeg)
        try tree.write("dogs/c.jpg", bytes: png)
        try tree.write("dogs/cut.jpg", bytes: jpeg.prefix(200))
        try tree.write("dogs/text.png", "hello")
        try tree.write("notes.txt", "notes")
        return tree
    }

    @Test func reportsClassesFormatsSizesAndUnreadableFiles() throws {
        let tree = try makeTree()
        let report = try DatasetInspector().inspect(tree.path)
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
