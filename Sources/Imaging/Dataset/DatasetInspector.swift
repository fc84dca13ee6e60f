import Dispatch
import Foundation

/// Decodes every image under a folder of class sub-folders (Keras's
/// `image_dataset_from_directory` layout) and reports what it found.
///
/// Files are chosen by name with ``ImageFileFilter``, the list the loader uses
/// (so `inspect` and `train` count the same files, hidden ones included); each
/// is then decoded fully, its format sniffed from its bytes, so a mislabelled
/// file still counts and a broken one (or a BMP, which Augment lists but does
/// not decode) is listed with its reason.
///
/// ```swift
/// let report = try DatasetInspector().inspect("samples/photos")
/// print(report.rendered())
/// ```
public struct DatasetInspector: Sendable {
    /// Decode options used for every file.
    public var options: DecodeOptions

    public init(options: DecodeOptions = .init()) {
        self.options = options
    }

    /// Inspects `path`: a folder whose sub-folders are classes, or one image file.
    /// - Throws: `ImageError.Kind.io` when `path` does not exist or cannot be listed.
    /// - Complexity: decodes every image once, on all cores.
    public func inspect(_ path: String) throws(ImageError) -> DatasetReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageError(.io, path: path, message: "no such file or directory")
        }
        var entries: [(className: String, path: String)] = []
        var skipped = 0
        if isDirectory.boolValue {
            for file in try DatasetFiles.list(path) {
                if file.isImage {
                    entries.append((file.className, file.path))
                } else {
                    skipped += 1
                }
            }
        } else {
            entries = [(".", path)]
        }
        let outcomes = decodeAll(entries.map(\.path))
        return summarize(root: path, entries: entries, outcomes: outcomes, skipped: skipped)
    }

    private func decodeAll(_ paths: [String]) -> [Result<ImageInfo, ImageError>] {
        let results = ResultSlots<Result<ImageInfo, ImageError>>(count: paths.count)
        let options = self.options
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            results[index] = Result { () throws(ImageError) -> ImageInfo in
                let bytes = try FileBytes.read(paths[index])
                var info = try ImageInfo.probe(bytes)
                let image = try Image.decode(bytes, path: paths[index], options: options)
                (info.width, info.height) = (image.width, image.height)
                return info
            }.mapError { error in
                ImageError(error.kind, path: paths[index], format: error.format, message: error.message)
            }
        }
        return results.values
    }

    private func summarize(root: String, entries: [(className: String, path: String)],
                           outcomes: [Result<ImageInfo, ImageError>], skipped: Int) -> DatasetReport {
        var counts: [String: Int] = [:]
        var formats: [ImageFormat: Int] = [:]
        var unreadable: [DatasetReport.UnreadableFile] = []
        var widths: [Int] = [], heights: [Int] = []
        for (entry, outcome) in zip(entries, outcomes) {
            counts[entry.className, default: 0] += 0 // list classes whose files are all unreadable
            switch outcome {
            case .success(let info):
                counts[entry.className, default: 0] += 1
                formats[info.format, default: 0] += 1
                widths.append(info.width)
                heights.append(info.height)
            case .failure(let error):
                unreadable.append(.init(path: entry.path, error: error))
            }
        }
        let classes = counts.keys.sorted().map { DatasetReport.ClassSummary(name: $0, imageCount: counts[$0]!) }
        return DatasetReport(root: root, classes: classes, formats: formats,
                             widthRange: widths.min().map { $0...widths.max()! },
                             heightRange: heights.min().map { $0...heights.max()! },
                             unreadable: unreadable, skippedCount: skipped)
    }
}
