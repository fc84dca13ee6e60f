import Foundation
import Imaging

/// Image files listed in a CSV file with their labels: Keras's
/// `flow_from_dataframe`, with the CSV standing in for the data frame.
///
/// Steps, in Keras's order:
/// 1. Rows whose file does not exist or whose name fails `ImageFileFilter`
///    are dropped (with `validateFilenames`), counted in `droppedRowCount` and
///    reported in **one** warning.
/// 2. Class modes `.categorical`, `.binary` and `.sparse` map labels to
///    classes: the given `classes` (rows left with none of them are dropped)
///    or every label seen, sorted. With a `labelSeparator`, a cell lists
///    several labels (`"cat dog"`) and `.categorical` gives multi-hot rows.
/// 3. The split cuts the remaining rows: the first `Int(split * n)` are the
///    validation subset.
///
/// `.raw` reads the label column(s) as numbers (one column: N targets;
/// several: N×K). A `weightColumn` gives numeric sample weights.
///
/// ```swift
/// let source = try CSVSource(csvFile: "labels.csv", directory: "images",
///                            labelColumns: ["tags"], labelSeparator: " ")
/// source.classNames   // ["cat", "dog", "outdoor"]
/// ```
public struct CSVSource: ImageFileSource {
    /// The directory file names are relative to ("" when they are full paths).
    public let directory: String
    /// File names as listed, one per kept row.
    public let filenames: [String]
    /// Class names in index order (empty for `.raw`, `.input`, `.none`).
    public let classNames: [String]
    /// Class indices of each kept row (several for multi-label rows).
    public let classes: [[Int]]
    /// Rows dropped because their file is missing or not an image name.
    public let droppedRowCount: Int
    public let classMode: ClassMode
    public let targets: TargetTable
    public let sampleWeights: [Float]?

    public var count: Int { filenames.count }

    public func path(of index: Int) -> String {
        paths[index]
    }

    /// The full path of each kept row: `directory` joined and normalised (see ``ListingPaths``).
    private let paths: [String]

    /// Reads and filters the listing.
    ///
    /// - Parameters:
    ///   - csvFile: the CSV file; its first row names the columns.
    ///   - directory: the folder file names are relative to; nil when names are usable paths.
    ///   - allowOutsidePaths: with a `directory`, whether names may point outside it
    ///     (`../x.png`, `/etc/passwd`); by default such a row is a `.malformedListing` error.
    ///   - filenameColumn: Keras's `x_col`.
    ///   - labelColumns: Keras's `y_col`; several columns only with `.raw`.
    ///   - weightColumn: Keras's `weight_col`: a per-row sample weight.
    ///   - classMode: how labels become targets (Keras's `class_mode`).
    ///   - classes: explicit class names, in index order; nil takes the sorted labels found.
    ///   - labelSeparator: separates several labels in one cell (multi-label `.categorical`).
    ///   - validateFilenames: drop rows whose file is missing or not an image name
    ///     (Keras's `validate_filenames`).
    ///   - validationSplit: fraction in [0, 1) of the rows reserved for validation.
    ///   - subset: the part to keep; nil keeps every row.
    ///   - filter: the image file names accepted.
    ///   - warn: receives the one dropped-rows warning (default: standard error).
    /// - Throws: `DataPipelineError` naming the file, column, row or value at fault.
    public init(csvFile: String, directory: String? = nil, filenameColumn: String = "filename",
                labelColumns: [String] = ["class"], weightColumn: String? = nil,
                classMode: ClassMode = .categorical, classes: [String]? = nil,
                labelSeparator: Character? = nil, validationSplit: Double = 0, subset: Subset? = nil,
                validateFilenames: Bool = true, allowOutsidePaths: Bool = false, filter: ImageFileFilter = ImageFileFilter(),
                warn: (String) -> Void = { FileHandle.standardError.write(Data(("warning: " + $0 + "\n").utf8)) })
        throws(DataPipelineError) {
        let split = try ValidationSplit(validationSplit)
        let text: String
        do {
            text = String(decoding: try FileBytes.read(csvFile), as: UTF8.self)
        } catch {
            throw DataPipelineError(.io, path: csvFile, message: "cannot read: \(error.message)")
        }
        let table = try CSVTable(parsing: text, path: csvFile)
        let reader = CSVRowReader(table: table, path: csvFile, labelSeparator: labelSeparator)
        let fileColumn = try table.column(filenameColumn, path: csvFile)
        let labelIndices = try labelColumns.map { (name) throws(DataPipelineError) in try table.column(name, path: csvFile) }
        let weightIndex = try weightColumn.map { (name) throws(DataPipelineError) in try table.column(name, path: csvFile) }
        try reader.checkParameters(classMode: classMode, labelColumns: labelIndices, classes: classes)

        let root = directory ?? ""
        let listing = directory.map { ListingPaths(base: $0, allowOutside: allowOutsidePaths) }
        // Each row carries its resolved path in one more column; the header is record 1,
        // so data row i is record i + 2.
        let pathColumn = table.header.count
        var rows: [[String]] = []
        for (index, row) in table.rows.enumerated() {
            let name = row[fileColumn]
            rows.append(row + [try listing?.resolve(name, listing: csvFile, record: index + 2) ?? name])
        }
        if validateFilenames {
            rows = rows.filter { row in
                let path = row[pathColumn]
                return filter.accepts(path) && FileManager.default.fileExists(atPath: path) && !DirectoryWalker.isDirectory(path)
            }
            let dropped = table.rows.count - rows.count
            if dropped > 0 {
                warn("\(csvFile): found \(dropped) invalid image filename(s) in column \"\(filenameColumn)\"; these rows are ignored")
            }
        }
        self.droppedRowCount = table.rows.count - rows.count

        var names: [String] = []
        var labels: [[Int]] = []
        if classMode.usesClasses {
            (rows, names, labels) = reader.classify(rows, column: labelIndices[0], classes: classes)
        }
        let kept = split.range(of: subset, count: rows.count)
        rows = Array(rows[kept])
        labels = labels.isEmpty ? [] : Array(labels[kept])

        self.directory = root
        self.filenames = rows.map { $0[fileColumn] }
        self.paths = rows.map { $0[pathColumn] }
        self.classNames = names
        self.classes = labels
        self.classMode = classMode
        self.sampleWeights = try weightIndex.map { (column) throws(DataPipelineError) in
            try reader.numbers(rows, columns: [column]).values
        }
        if classMode == .raw {
            self.targets = try reader.numbers(rows, columns: labelIndices)
        } else {
            self.targets = TargetTable.encoding(classes: labels, classCount: names.count, mode: classMode)
        }
    }
}
