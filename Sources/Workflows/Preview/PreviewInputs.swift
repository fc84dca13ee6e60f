import DataPipeline
import Foundation
import Imaging

/// Chooses the images `augment preview` shows.
public enum PreviewInputs {
    /// At most this many inputs come from one folder.
    public static let perFolder = 8

    /// The files to preview: each given file as is; for each given folder its
    /// first image per class sub-folder (or, without class folders, its first
    /// images); with nothing given, the first image per class of the pipeline's data.
    /// - Throws: `DataPipelineError` for a missing path, ``WorkflowError`` when nothing is found.
    public static func resolve(_ paths: [String], pipeline: PipelineFile) throws -> [String] {
        if paths.isEmpty {
            guard let directory = pipeline.data.directory else {
                throw WorkflowError("the pipeline reads a CSV listing: name the images to preview with --input")
            }
            // Annotated images sit in one folder; data.classes then names annotation classes, not sub-folders.
            return try folderInputs(directory, classes: pipeline.data.annotations == nil ? pipeline.data.classes : nil)
        }
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw WorkflowError("\(path): no such file or folder")
            }
            files += isDirectory.boolValue ? try folderInputs(path, classes: nil) : [path]
        }
        return files
    }

    static func folderInputs(_ directory: String, classes: [String]?) throws -> [String] {
        let folder = try ImageFolder(directory: directory, classes: classes, classMode: .none)
        var files = RunArtifacts.firstOfEachClass(folder, limit: perFolder)
        if files.isEmpty {
            let filter = ImageFileFilter()
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            files = names.sorted().filter(filter.accepts).prefix(perFolder).map { directory + "/" + $0 }
        }
        guard !files.isEmpty else { throw WorkflowError("\(directory): no images found") }
        return files
    }
}
