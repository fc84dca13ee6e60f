import Foundation
import Testing
@testable import Imaging

@Suite struct DecodeBenchmarkTests {
    @Test func countsImagesAndDecodedPixels() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("augment-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["jpeg-64x48.jpg", "png-rgb-8.png", "tiff-gray.tif"] {
            try Data(try FixtureFiles.bytes("codecs", name)).write(to: directory.appendingPathComponent(name))
        }
        try Data("skip me".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let bench = try DecodeBenchmark(directory: directory.path)
        #expect(bench.names == ["jpeg-64x48.jpg", "png-rgb-8.png", "tiff-gray.tif"])
        let full = try bench.measure(threads: 2, scaledTo: nil, repeats: 1)
        #expect(full.images == 3)
        #expect(full.megapixels == Double(64 * 48 + 13 * 9 * 2) / 1e6)
        // Only the JPEG shrinks: 64x48 at 1/4 covers 16x12.
        let scaled = try bench.measure(threads: 1, scaledTo: 12, repeats: 1)
        #expect(scaled.megapixels == Double(16 * 12 + 13 * 9 * 2) / 1e6)
        #expect(full.runSeconds.count == 1 && full.seconds > 0)
    }

    @Test func walksClassSubFoldersWithTheLoadersFileList() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("augment-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (folder, name) in [("cats", "jpeg-64x48.jpg"), ("dogs", "png-rgb-8.png")] {
            let classFolder = directory.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
            try Data(try FixtureFiles.bytes("codecs", name)).write(to: classFolder.appendingPathComponent(name))
        }
        try Data("skip me".utf8).write(to: directory.appendingPathComponent("dogs/notes.txt"))
        let bench = try DecodeBenchmark(directory: directory.path)
        #expect(bench.names == ["cats/jpeg-64x48.jpg", "dogs/png-rgb-8.png"])
        #expect(try bench.measure(threads: 1, scaledTo: nil, repeats: 1).images == 2)
    }

    @Test func refusesAFolderWithoutImageNames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("augment-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("cats"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("skip me".utf8).write(to: directory.appendingPathComponent("cats/notes.txt"))
        let error = #expect(throws: ImageError.self) { _ = try DecodeBenchmark(directory: directory.path) }
        #expect(error?.kind == .io)
        #expect(error?.message.hasPrefix("no image files in the folder or its class sub-folders") == true)
    }
}
