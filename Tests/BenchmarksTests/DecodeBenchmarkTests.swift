import Foundation
import Benchmarks
import Testing
import TestSupport
@testable import Imaging

@Suite struct DecodeBenchmarkTests {
    /// A temporary folder holding the codec fixtures `files` (path in the folder → fixture name).
    private func folder(_ files: [(String, String)]) throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        for (path, fixture) in files {
            try folder.write(path, bytes: try Data(contentsOf: RepositoryFiles.fixture("ImagingTests", "codecs/\(fixture)")))
        }
        return folder
    }

    @Test func countsImagesAndDecodedPixels() throws {
        let folder = try folder([("jpeg-64x48.jpg", "jpeg-64x48.jpg"), ("png-rgb-8.png", "png-rgb-8.png"),
                                 ("tiff-gray.tif", "tiff-gray.tif")])
        try folder.write("notes.txt", "skip me")
        let bench = try DecodeBenchmark(directory: folder.path)
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
        let folder = try folder([("cats/a.jpg", "jpeg-64x48.jpg"), ("dogs/b.png", "png-rgb-8.png")])
        try folder.write("dogs/notes.txt", "skip me")
        let bench = try DecodeBenchmark(directory: folder.path)
        #expect(bench.names == ["cats/a.jpg", "dogs/b.png"])
        #expect(try bench.measure(threads: 1, scaledTo: nil, repeats: 1).images == 2)
    }

    @Test func refusesAFolderWithoutImageNames() throws {
        let folder = try TemporaryDirectory()
        try folder.write("cats/notes.txt", "skip me")
        let error = #expect(throws: ImageError.self) { _ = try DecodeBenchmark(directory: folder.path) }
        #expect(error?.kind == .io)
        #expect(error?.message.hasPrefix("no image files in the folder or its class sub-folders") == true)
    }
}
