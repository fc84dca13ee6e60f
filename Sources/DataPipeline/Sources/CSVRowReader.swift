/// The label logic of `CSVSource`: parameter checks, class lists and
/// numeric columns, kept apart from file filtering and splitting.
struct CSVRowReader {
    var table: CSVTable
    var path: String
    var labelSeparator: Character?

    /// The labels of one cell: the whole cell, or its parts with a separator.
    func labels(in cell: String) -> [String] {
        guard let labelSeparator else { return [cell] }
        return cell.split(separator: labelSeparator).map(String.init)
    }

    /// Keras's `_check_params`, for the parts that apply to a CSV file.
    func checkParameters(classMode: ClassMode, labelColumns: [Int], classes: [String]?) throws(DataPipelineError) {
        guard !labelColumns.isEmpty || !classMode.usesClasses && classMode != .raw else {
            throw DataPipelineError(.invalidArgument, path: path, message: "class mode \(classMode.rawValue) needs a label column")
        }
        if classMode.usesClasses && labelColumns.count != 1 {
            throw DataPipelineError(.invalidArgument, path: path,
                                    message: "class mode \(classMode.rawValue) takes one label column, got \(labelColumns.count)")
        }
        if (classMode == .binary || classMode == .sparse) && labelSeparator != nil {
            throw DataPipelineError(.invalidArgument, path: path,
                                    message: "class mode \(classMode.rawValue) takes one label per row; multi-label lists need categorical")
        }
        if classMode == .binary {
            let count = classes.map { Set($0).count } ?? Set(table.rows.map { $0[labelColumns[0]] }).count
            guard count == 2 else {
                throw DataPipelineError(.invalidArgument, path: path,
                                        message: "class mode binary needs 2 classes, found \(count)")
            }
        }
    }

    /// Keras's `_filter_classes` + `get_classes`: keeps the rows with at
    /// least one known label and maps labels to indices.
    func classify(_ rows: [[String]], column: Int, classes: [String]?)
        -> (rows: [[String]], names: [String], labels: [[Int]]) {
        var names: [String]
        if let classes {
            var seen = Set<String>()
            names = classes.filter { seen.insert($0).inserted }
        } else {
            names = Array(Set(rows.flatMap { labels(in: $0[column]) }))
            names.sort(by: DirectoryWalker.precedes)
        }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var kept: [[String]] = []
        var labelIndices: [[Int]] = []
        for row in rows {
            let known = labels(in: row[column]).compactMap { index[$0] }
            if known.isEmpty { continue }
            kept.append(row)
            labelIndices.append(known)
        }
        return (kept, names, labelIndices)
    }

    /// The numbers in `columns` of each row: N (one column) or N×K values.
    func numbers(_ rows: [[String]], columns: [Int]) throws(DataPipelineError) -> TargetTable {
        var values: [Float] = []
        values.reserveCapacity(rows.count * columns.count)
        for row in rows {
            for column in columns {
                let cell = row[column].trimmingWhitespace
                guard let value = Float(cell) else {
                    throw DataPipelineError(.malformedListing, path: path,
                                            message: "column \"\(table.header[column])\": \"\(cell)\" is not a number (row \"\(row.joined(separator: ","))\")")
                }
                values.append(value)
            }
        }
        return TargetTable(rowShape: columns.count == 1 ? [] : [columns.count], values: values)
    }
}

extension String {
    var trimmingWhitespace: Substring {
        let scalars = unicodeScalars
        let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
        let end = scalars.lastIndex { !$0.properties.isWhitespace }.map { scalars.index(after: $0) } ?? start
        return Substring(scalars[start..<end])
    }
}
