/// Keras 3's summary table, drawn as its `rich` library draws it: heavy
/// header box, one light rule between rows, cells padded by one space,
/// text wrapped at spaces and a word too long for its cell cut with `…`.
///
/// Column widths follow Keras's `print_summary`: relative `positions` of a
/// `lineLength`-character line, each column then narrowed as `rich` narrows
/// fixed-width columns to fit the borders (its `ratio_reduce`, rounding half
/// to even as Python does).
struct SummaryTable {
    let header: [String]
    /// Text width of each column, padding excluded.
    let widths: [Int]
    /// Columns whose text is right-aligned (`Param #`).
    let rightAligned: Set<Int>

    init(header: [String], positions: [Double], lineLength: Int, rightAligned: Set<Int>) {
        self.header = header
        self.rightAligned = rightAligned
        var cells: [Int] = []
        var current = 0
        for position in positions {
            let width = Int(position * Double(lineLength)) - current
            cells.append(width + 2)
            current += width
        }
        var excess = cells.reduce(0, +) - (lineLength - (positions.count + 1))
        var remainingRatio = cells.count
        for index in cells.indices where excess > 0 {
            let share = (Double(excess) / Double(remainingRatio)).rounded(.toNearestOrEven)
            let reduction = min(cells[index], Int(share))
            cells[index] -= reduction
            excess -= reduction
            remainingRatio -= 1
        }
        widths = cells.map { $0 - 2 }
    }

    /// The table's lines for `rows` (one field per column).
    func render(_ rows: [[String]]) -> [String] {
        var lines = [rule("┏", "━", "┳", "┓")]
        lines += cells(header, bar: "┃")
        lines.append(rule("┡", "━", "╇", "┩"))
        for (index, row) in rows.enumerated() {
            if index > 0 { lines.append(rule("├", "─", "┼", "┤")) }
            lines += cells(row, bar: "│")
        }
        lines.append(rule("└", "─", "┴", "┘"))
        return lines
    }

    private func rule(_ left: String, _ line: String, _ cross: String, _ right: String) -> String {
        left + widths.map { String(repeating: line, count: $0 + 2) }.joined(separator: cross) + right
    }

    /// One row, as many lines as its tallest wrapped field.
    private func cells(_ fields: [String], bar: String) -> [String] {
        let wrapped = zip(fields, widths).map { Self.wrap($0, width: $1) }
        let height = wrapped.map(\.count).max() ?? 1
        return (0..<height).map { line in
            let texts = wrapped.enumerated().map { column, lines in
                let text = line < lines.count ? lines[line] : ""
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return " " + (rightAligned.contains(column) ? pad + text : text + pad) + " "
            }
            return bar + texts.joined(separator: bar) + bar
        }
    }

    /// `rich`'s wrapping without folding: words (with their trailing spaces)
    /// fill a line until the next word's text no longer fits; a word longer
    /// than `width` takes a line of its own; lines lose trailing spaces and
    /// are cut to `width - 1` characters and `…` when still too long.
    static func wrap(_ text: String, width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { paragraph -> [String] in
            var lines: [String] = []
            var line = ""
            for word in words(of: String(paragraph)) {
                let visible = word.count - word.reversed().prefix { $0 == " " }.count
                if !line.isEmpty, width - line.count < visible {
                    lines.append(line)
                    line = ""
                }
                line += word
            }
            lines.append(line)
            return lines.map { line in
                var trimmed = line
                while trimmed.last == " " { trimmed.removeLast() }
                return trimmed.count > width ? String(trimmed.prefix(width - 1)) + "…" : trimmed
            }
        }
    }

    /// Words with the spaces that follow them (leading spaces form their own word).
    private static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text {
            if character != " ", current.last == " " {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
