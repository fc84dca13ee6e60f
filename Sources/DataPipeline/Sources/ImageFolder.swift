import Foundation
import Imaging

/// A folder of class sub-folders, listed exactly as Keras's
/// `flow_from_directory` lists it.
///
/// - Classes are the sub-directories of `directory`, sorted by code point
///   (`Dogs` < `birds`), or the given `classes` in the given order. A class
///   without images still gets an index; files directly in `directory` belong
///   to no class and are ignored.
/// - Each class's files are found recursively (see `DirectoryWalker` for the
///   order) and kept when `ImageFileFilter` accepts their name.
/// - With a validation split, each class's list is cut separately: the first
///   `Int(split * n)` files are the validation subset, the rest the training one.
///
/// ```swift
/// let train = try ImageFolder(directory: "data/train", validationSplit: 0.2, subset: .training)
/// train.classIndices   // ["cat": 0, "dog": 1]
/// train.filenames[0]   // "cat/cat_001.jpg"
/// ```
public struct ImageFolder: ImageFileSource {
    /// The root directory, as given.
    public let directory: String
    /// Class names in index order.
    public let classNames: [String]
    /// Files relative to `directory`, `/`-separated, in Keras's order.
    public let filenames: [String]
    /// The class index of each file.
    public let classes: [Int]
    public let classMode: ClassMode
    public let targets: TargetTable
    public var sampleWeights: [Float]? { nil }

    /// Class name → index, as Keras's `class_indices`.
    public var classIndices: [String: Int] {
        Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
    }

    public var count: Int { filenames.count }

    public func path(of index: Int) -> String { directory + "/" + filenames[index] }

    /// Lists `directory`.
    ///
    /// - Parameters:
    ///   - directory: a folder with one sub-folder per class.
    ///   - classes: explicit class sub-directories, in index order; each must exist.
    ///   - classMode: `.binary` needs exactly two classes; `.raw` is not available here.
    ///   - validationSplit: fraction in [0, 1) of each class reserved for validation.
    ///   - subset: the part to keep; nil keeps every file.
    ///   - followLinks: enter symbolic links to directories (loops are cut).
    ///   - filter: the image file names accepted.
    /// - Throws: `DataPipelineError` for a missing directory or class, an unreadable
    ///   directory, or an invalid parameter.
    public init(directory: String, classes: [String]? = nil, classMode: ClassMode = .categorical,
                validationSplit: Double = 0, subset: Subset? = nil, followLinks: Bool = false,
                filter: ImageFileFilter = ImageFileFilter()) throws(DataPipelineError) {
        let split = try ValidationSplit(validationSplit)
        guard DirectoryWalker.isDirectory(directory) else {
            throw DataPipelineError(.io, path: directory, message: "not a directory")
        }
        guard classMode != .raw else {
            throw DataPipelineError(.invalidArgument, path: directory,
                                    message: "class mode raw needs numeric labels (use CSVSource or ArraySource)")
        }
        let names: [String]
        if let classes { names = classes } else { names = try Self.classDirectories(in: directory) }
        try Self.checkClassNames(names, in: directory)
        if classMode == .binary && names.count != 2 {
            throw DataPipelineError(.invalidArgument, path: directory,
                                    message: "class mode binary needs 2 classes, found \(names.count): \(names)")
        }
        let walker = DirectoryWalker(followLinks: followLinks)
        var filenames: [String] = []
        var labels: [Int] = []
        for (label, name) in names.enumerated() {
            let classRoot = directory + "/" + name
            let files = try walker.files(under: classRoot).filter { filter.accepts($0.name) }
            for entry in files[split.range(of: subset, count: files.count)] {
                filenames.append(name + entry.path.dropFirst(classRoot.count))
                labels.append(label)
            }
        }
        self.directory = directory
        self.classNames = names
        self.filenames = filenames
        self.classes = labels
        self.classMode = classMode
        self.targets = TargetTable.encoding(classes: labels.map { [$0] }, classCount: names.count, mode: classMode)
    }

    private static func classDirectories(in directory: String) throws(DataPipelineError) -> [String] {
        try DirectoryWalker.names(in: directory).filter { DirectoryWalker.isDirectory(directory + "/" + $0) }
            .sorted(by: DirectoryWalker.precedes)
    }

    private static func checkClassNames(_ names: [String], in directory: String) throws(DataPipelineError) {
        var seen = Set<String>()
        for name in names {
            guard seen.insert(name).inserted else {
                throw DataPipelineError(.invalidArgument, path: directory, message: "class \"\(name)\" listed twice")
            }
            guard !name.isEmpty, !name.contains("/"), DirectoryWalker.isDirectory(directory + "/" + name) else {
                throw DataPipelineError(.invalidArgument, path: directory,
                                        message: "class \"\(name)\" is not a sub-directory")
            }
        }
    }
}
