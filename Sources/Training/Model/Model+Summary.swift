import Foundation

extension Model {
    /// Total parameters, trainable or not.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
    /// Parameters the optimiser updates.
    public var trainableParameterCount: Int { trainableParameters.reduce(0) { $0 + $1.count } }

    /// The model table as Keras 3 prints it in a terminal wide enough for its
    /// default line length (88 characters, 108 with `Connected to`): the same
    /// box-drawn table, rows, wrapping and totals, character for character.
    ///
    /// A model shaped as a chain (one input, one output, each node read by at
    /// most one other) gets the columns `Layer (type)`, `Output Shape` and
    /// `Param #`; any other graph adds `Connected to`, each input written as
    /// `node[0][0]`. Functional models list their inputs as `InputLayer` rows;
    /// a ``Sequential`` model does not.
    ///
    /// ```text
    /// Model: "functional"
    /// ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
    /// ┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
    /// ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
    /// │ input_layer (InputLayer)      │ (None, 8, 8, 3)           │               0 │ -                          │
    /// ├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
    /// │ add (Add)                     │ (None, 8, 8, 4)           │               0 │ conv2d[0][0],              │
    /// │                               │                           │                 │ conv2d_1[0][0]             │
    /// └───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
    ///  Total params: 144 (576.00 B)
    ///  Trainable params: 136 (544.00 B)
    ///  Non-trainable params: 8 (32.00 B)
    /// ```
    public func summary() -> String {
        let connected = !isChain
        var rows: [[String]] = []
        let nodes = self.nodes
        // Keras's `layer[call][0]`; a shared layer has one row, connected to the inputs of all its calls.
        func reference(_ index: Int) -> String { "\(nodes[index].layer?.name ?? nodes[index].name)[\(nodes[index].call)][0]" }
        for node in nodes where node.call == 0 {
            let shape = "(None, " + node.shape.map(String.init).joined(separator: ", ") + ")"
            guard let layer = node.layer else {
                if !(self is Sequential) { rows.append(["\(node.name) (InputLayer)", shape, "0", "-"]) }
                continue
            }
            var row = ["\(layer.name) (\(layer.typeName))", shape, Model.grouped(layer.parameterCount)]
            if connected {
                let calls = nodes.filter { $0.layer === layer }
                row.append(calls.flatMap { $0.inputs.map(reference) }.joined(separator: ", "))
            }
            rows.append(row)
        }
        let table = connected
            ? SummaryTable(header: ["Layer (type)", "Output Shape", "Param #", "Connected to"],
                           positions: [0.3, 0.56, 0.74, 1.0], lineLength: 108, rightAligned: [2])
            : SummaryTable(header: ["Layer (type)", "Output Shape", "Param #"],
                           positions: [0.45, 0.80, 1.0], lineLength: 88, rightAligned: [2])
        let trainableCount = trainableParameterCount
        let lines = ["Model: \"\(name)\""] + table.render(rows) + [
            " Total params: \(Model.counted(parameterCount))",
            " Trainable params: \(Model.counted(trainableCount))",
            " Non-trainable params: \(Model.counted(parameterCount - trainableCount))",
        ]
        return lines.joined(separator: "\n")
    }

    /// Whether the graph is a chain, which Keras summarises without `Connected
    /// to`: one input, one output, every layer reading one node, called once,
    /// and every node read at most once.
    private var isChain: Bool {
        graph.inputs.count == 1 && graph.outputs.count == 1
            && graph.sharedNodes.isEmpty && graph.nodes.allSatisfy { ($0.layer == nil || $0.inputs.count == 1) && $0.consumers <= 1 }
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
