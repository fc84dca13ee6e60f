import Foundation

extension Model {
    /// Total parameters, trainable or not.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
    /// Parameters the optimiser updates.
    public var trainableParameterCount: Int { trainableParameters.reduce(0) { $0 + $1.count } }

    /// The model table with Keras 3's columns and totals, in plain text:
    /// `Layer (type)`, `Output Shape`, `Param #` and, for a functional model,
    /// `Connected to` (each input as `node[0][0]`, inputs shown as
    /// `InputLayer` rows). Columns widen to fit instead of truncating.
    ///
    /// ```text
    /// Model: "functional"
    /// ____________________________________________________________________________
    /// Layer (type)               Output Shape        Param #  Connected to
    /// ============================================================================
    /// input_layer (InputLayer)   (None, 8, 8, 3)           0  -
    /// conv2d (Conv2D)            (None, 8, 8, 4)         112  input_layer[0][0]
    /// add (Add)                  (None, 8, 8, 4)           0  conv2d[0][0],
    ///                                                         conv2d_1[0][0]
    /// ...
    /// ============================================================================
    ///  Total params: 287 (1.12 KB)
    ///  Trainable params: 287 (1.12 KB)
    ///  Non-trainable params: 0 (0.00 B)
    /// ```
    public func summary() -> String {
        let functional = !(self is Sequential)
        var rows: [[String]] = []
        for node in graph.nodes {
            let shape = "(None, " + node.shape.map(String.init).joined(separator: ", ") + ")"
            guard let layer = node.layer else {
                if functional { rows.append(["\(node.name) (InputLayer)", shape, "0", "-"]) }
                continue
            }
            var row = ["\(layer.name) (\(layer.typeName))", shape, Model.grouped(layer.parameterCount)]
            if functional {
                row.append(node.inputs.map { "\(graph.nodes[$0].name)[0][0]" }.joined(separator: ",\n"))
            }
            rows.append(row)
        }
        let header = functional ? ["Layer (type)", "Output Shape", "Param #", "Connected to"]
                                : ["Layer (type)", "Output Shape", "Param #"]
        var widths = header.map(\.count)
        for row in rows {
            for (column, field) in row.enumerated() {
                widths[column] = max(widths[column], field.split(separator: "\n").map(\.count).max() ?? 0)
            }
        }
        let total = widths.reduce(0, +) + 2 * (widths.count - 1)
        func line(_ fields: [String]) -> [String] {
            let lines = fields.map { $0.components(separatedBy: "\n") }
            return (0..<(lines.map(\.count).max() ?? 1)).map { index in
                zip(lines, widths).enumerated().map { column, pair in
                    let text = index < pair.0.count ? pair.0[index] : ""
                    return column == 2 ? text.leftPadded(toLength: pair.1) : text.padding(toLength: pair.1)
                }.joined(separator: "  ").trailingSpacesRemoved
            }
        }
        var out = ["Model: \"\(name)\"", String(repeating: "_", count: total)]
        out += line(header)
        out.append(String(repeating: "=", count: total))
        for (index, row) in rows.enumerated() {
            out += line(row)
            out.append(String(repeating: index == rows.count - 1 ? "=" : "_", count: total))
        }
        let trainableCount = trainableParameterCount
        out += [" Total params: \(Model.counted(parameterCount))",
                " Trainable params: \(Model.counted(trainableCount))",
                " Non-trainable params: \(Model.counted(parameterCount - trainableCount))"]
        return out.joined(separator: "\n")
    }

    /// `287` → `287 (1.12 KB)`: the count and its Float32 size, as Keras 3 prints them.
    static func counted(_ value: Int) -> String {
        let bytes = Double(value * 4)
        let units = ["B", "KB", "MB", "GB"]
        var scaled = bytes, unit = 0
        while scaled >= 1024, unit < units.count - 1 { scaled /= 1024; unit += 1 }
        return "\(grouped(value)) (\(String(format: "%.2f", scaled)) \(units[unit]))"
    }

    /// `421642` → `421,642`.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { text.append(",") }
            text.append(ch)
        }
        return text
    }
}

extension String {
    /// Pads with spaces on the right to at least `length` characters.
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    /// Pads with spaces on the left to at least `length` characters.
    func leftPadded(toLength length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }

    var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
