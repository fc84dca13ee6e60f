extension Sequential {
    /// Total parameters, trainable or not.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    /// Parameters the optimiser updates.
    public var trainableParameterCount: Int { layers.reduce(0) { $0 + $1.trainableParameterCount } }

    /// The model table in Keras's classic `model.summary()` layout:
    ///
    /// ```text
    /// Model: "sequential"
    /// _________________________________________________________________
    /// Layer (type)                 Output Shape              Param #
    /// =================================================================
    /// conv2d (Conv2D)              (None, 28, 28, 32)        320
    /// _________________________________________________________________
    /// ...
    /// =================================================================
    /// Total params: 421,642
    /// Trainable params: 421,642
    /// Non-trainable params: 0
    /// _________________________________________________________________
    /// ```
    ///
    /// The first column widens to fit long names instead of wrapping them.
    public func summary() -> String {
        let rows = layers.map { layer in
            ("\(layer.name) (\(layer.typeName))",
             "(None, " + layer.outputShape.map(String.init).joined(separator: ", ") + ")",
             Sequential.grouped(layer.parameterCount))
        }
        let first = max(29, (rows.map(\.0.count).max() ?? 0) + 1)
        let widths = [first, 26, 10]
        let total = widths.reduce(0, +)
        func line(_ fields: [String]) -> String {
            var text = ""
            for (field, width) in zip(fields, widths) {
                text += field.padding(toLength: width)
            }
            return text
        }
        var out = ["Model: \"\(name)\"", String(repeating: "_", count: total),
                   line(["Layer (type)", "Output Shape", "Param #"]), String(repeating: "=", count: total)]
        for (index, row) in rows.enumerated() {
            out.append(line([row.0, row.1, row.2]))
            out.append(String(repeating: index == rows.count - 1 ? "=" : "_", count: total))
        }
        out += ["Total params: \(Sequential.grouped(parameterCount))",
                "Trainable params: \(Sequential.grouped(trainableParameterCount))",
                "Non-trainable params: \(Sequential.grouped(parameterCount - trainableParameterCount))",
                String(repeating: "_", count: total)]
        return out.joined(separator: "\n")
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
    /// Pads with spaces (or truncates) to exactly `length` characters.
    func padding(toLength length: Int) -> String {
        count >= length ? String(prefix(length)) : self + String(repeating: " ", count: length - count)
    }
}
