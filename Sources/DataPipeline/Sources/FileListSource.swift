import Foundation
import Imaging

/// Image files under one directory with no labels (class mode `.none`):
/// every file `ImageFileFilter` accepts, found recursively in
/// `DirectoryWalker` order. For benchmarks, previews and inference.
///
/// ```swift
/// let photos = try FileListSource(directory: "holiday")
/// ```
public struct FileListSource: ImageFileSource {
    public let directory: String
    /// Paths relative to `directory`, `/`-separated.
    public let filenames: [String]
    public var count: Int { filenames.count }
    public var classMode: ClassMode { .none }
    public var targets: TargetTable { TargetTable(rowShape: [0], values: []) }
    public var sampleWeights: [Float]? { nil }

    public func path(of index: Int) -> String { directory + "/" + filenames[index] }

    /// - Throws: `DataPipelineError.io` when the directory cannot be listed.
    public init(directory: String, followLinks: Bool = false, filter: ImageFileFilter = ImageFileFilter())
        throws(DataPipelineError) {
        guard DirectoryWalker.isDirectory(directory) else {
            throw DataPipelineError(.io, path: directory, message: "not a directory")
        }
        let entries = try DirectoryWalker(followLinks: followLinks).files(under: directory)
        self.directory = directory
        self.filenames = entries.filter { filter.accepts($0.name) }.map { String($0.path.dropFirst(directory.count + 1)) }
    }
}
