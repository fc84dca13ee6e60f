/// A parsed CSV file: a header row and string cells (RFC 4180: commas,
/// double-quoted fields with `""` escapes and embedded newlines, LF or CRLF).
struct CSVTable {
    var header: [String]
    var rows: [[String]]

    /// Parses `text`; the first record is the header.
    /// - Throws: `DataPipelineError.malformedListing` naming the line of an
    ///   unterminated quote or a record with the wrong number of fields.
    init(parsing text: String, path: String) throws(DataPipelineError) {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); pending = iterator.next() } else { inQuotes = false }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": inQuotes = true
            case ",": record.append(field); field = ""
            case "\r" where pending == "\n": continue
            case "\n":
                record.append(field); field = ""
                records.append(record); record = []
                line += 1
            default: field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw DataPipelineError(.malformedListing, path: path, message: "unterminated quote at line \(line)")
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        records.removeAll { $0 == [""] }
        guard let header = records.first else {
            throw DataPipelineError(.malformedListing, path: path, message: "no header row")
        }
        for (offset, fields) in records.enumerated() where fields.count != header.count {
            throw DataPipelineError(.malformedListing, path: path,
                                    message: "record \(offset + 1) has \(fields.count) fields, the header has \(header.count)")
        }
        self.header = header
        self.rows = Array(records.dropFirst())
    }

    /// The index of column `name`.
    func column(_ name: String, path: String) throws(DataPipelineError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw DataPipelineError(.malformedListing, path: path,
                                    message: "no column \"\(name)\" (columns: \(header.joined(separator: ", ")))")
        }
        return index
    }
}
