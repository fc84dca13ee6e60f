import Foundation
import Imaging
import Testing
import TestSupport
@testable import DataPipeline

/// `augment inspect` (`DatasetInspector`) and training (`ImageFolder`) pick files with the one
/// `ImageFileFilter`, so they count the same files on a tree full of edge cases.
@Suite struct ImageFileListTests {
    static let digit = RepositoryFiles.url("samples/digits/train/0/digit_00000.png")

    @Test func inspectAndTheLoaderCountTheSameFiles() throws {
        let tree = try TemporaryDirectory()
        let png = try Data(contentsOf: Self.digit)
        // Keras takes: any case, no dot needed, hidden files, nested folders; it leaves gif, jpe, webp, txt.
        // Augment's default list adds webp (here a PNG named .webp: the bytes decide the format).
        for name in ["cats/a.png", "cats/B.PNG", "cats/.hidden.png", "cats/sketch_png", "dogs/deep/c.png",
                     "cats/d.gif", "cats/e.jpe", "dogs/f.webp", "dogs/notes.txt"] {
            try tree.write(name, bytes: png)
        }
        try tree.write("dogs/g.bmp", "not decodable: listed by both, unreadable to both")
        let folder = try ImageFolder(directory: tree.path, classMode: .none)
        let report = try DatasetInspector().inspect(tree.path)
        #expect(folder.count == 7)
        #expect(report.imageCount + report.unreadable.count == folder.count)
        #expect(report.classes.map(\.name) == ["cats", "dogs"] && report.classes.map(\.imageCount) == [4, 2])
        #expect(report.unreadable.map { ($0.path as NSString).lastPathComponent } == ["g.bmp"])
        #expect(report.skippedCount == 3)
        let keras = try ImageFolder(directory: tree.path, classMode: .none,
                                    filter: ImageFileFilter(extensions: ImageFileFilter.kerasExtensions))
        #expect(keras.count == 6)
    }
}
