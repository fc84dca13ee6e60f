import Training

/// Rebuilds a model from Keras's serialised configuration (`config.json` of
/// a `.keras` archive, the `model_config` attribute of a legacy `.h5`):
/// `Sequential`, `Functional` (Keras 2: `Model`), models nested as layers,
/// shared layers, in Keras 3's node format and Keras 2's, as Keras's own
/// `functional_from_config` does: every layer made first, then its calls
/// made in layer order as soon as their inputs exist.
struct KerasModelDecoding {
    /// The file, for error messages.
    let file: String

    /// The model `object` (`{"class_name": ..., "config": ...}`) describes.
    func model(_ object: JSONValue) throws -> Model {
        guard let className = object["class_name"]?.string, let config = object["config"]?.object else {
            throw KerasModelError.invalidModel(file: file, reason: "the model has no class_name and config")
        }
        let model: Model
        switch className {
        case "Sequential": model = try sequential(config)
        case "Functional", "Model": model = try functional(config)
        default:
            throw KerasModelError.unsupportedLayer(file: file, layer: config["name"]?.string ?? "?", className: className)
        }
        if config["trainable"]?.bool == false { model.trainable = false }
        return model
    }

    /// A layer entry of a model's `layers` list (a nested model or a layer).
    private func layer(_ entry: JSONValue) throws -> any Layer {
        guard let className = entry["class_name"]?.string, let config = entry["config"]?.object else {
            throw KerasModelError.invalidModel(file: file, reason: "a layer entry has no class_name and config: \(entry.text.prefix(200))")
        }
        if ["Sequential", "Functional", "Model"].contains(className) { return try model(entry) }
        var reader = try LayerConfigReader(file: file, className: className, config: config)
        return try KerasLayerDecoding.layer(&reader)
    }

    private func sequential(_ config: [String: JSONValue]) throws -> Model {
        let name = config["name"]?.string ?? "sequential"
        var entries = config["layers"]?.array ?? []
        var shape: [Int]?
        if let first = entries.first, first["class_name"]?.string == "InputLayer" {
            shape = try inputShape(first["config"] ?? nil, layer: "input_layer")
            entries.removeFirst()
        } else if let first = entries.first?["config"], first["batch_input_shape"] != nil || first["batch_shape"] != nil {
            shape = try inputShape(first, layer: first["name"]?.string ?? "?")
        } else if let built = config["build_input_shape"], !built.isNull {
            shape = try inputShape(["batch_shape": built], layer: name)
        }
        guard let shape else {
            throw KerasModelError.invalidModel(file: file, reason: "Sequential '\(name)' has no input shape (no InputLayer, no build_input_shape)")
        }
        let layers = try entries.map { entry -> any Layer in
            var entry = entry
            if case var .object(members) = entry, case var .object(inner) = members["config"] {
                inner["batch_input_shape"] = nil  // Keras 2 puts the model's input shape on its first layer
                members["config"] = .object(inner)
                entry = .object(members)
            }
            return try layer(entry)
        }
        return try Sequential(inputShape: shape, name: name, layers: layers)
    }

    /// A per-sample shape from an InputLayer config (`batch_shape`, Keras 2's `batch_input_shape`).
    private func inputShape(_ config: JSONValue, layer: String) throws -> [Int] {
        guard let batchShape = (config["batch_shape"] ?? config["batch_input_shape"])?.array, batchShape.count >= 2 else {
            throw KerasModelError.invalidModel(file: file, reason: "input '\(layer)' has no batch_shape")
        }
        let dims = batchShape.dropFirst().map(\.int)
        guard dims.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw KerasModelError.unsupportedArgument(file: file, layer: layer, argument: "batch_shape",
                                                      value: JSONValue.array(batchShape).text)
        }
        if let dtype = config["dtype"]?.string, dtype != "float32" {
            throw KerasModelError.unsupportedArgument(file: file, layer: layer, argument: "dtype", value: dtype)
        }
        return dims.map { $0! }
    }

    private func functional(_ config: [String: JSONValue]) throws -> Model {
        let name = config["name"]?.string ?? "functional"
        guard let entries = config["layers"]?.array else {
            throw KerasModelError.invalidModel(file: file, reason: "Functional '\(name)' has no layers")
        }
        let builder = GraphBuilder()
        var layers = [String: any Layer]()
        var outputs = [String: [SymbolicTensor]]()   // by layer name, one per call
        var pending = [(name: String, nodes: [JSONValue])]()
        for entry in entries {
            guard let layerName = entry["name"]?.string ?? entry["config"]?["name"]?.string else {
                throw KerasModelError.invalidModel(file: file, reason: "a layer of '\(name)' has no name")
            }
            if entry["class_name"]?.string == "InputLayer" {
                let shape = try inputShape(entry["config"] ?? nil, layer: layerName)
                outputs[layerName] = [try builder.input(shape: shape, name: layerName)]
                continue
            }
            layers[layerName] = try layer(entry)
            pending.append((layerName, entry["inbound_nodes"]?.array ?? []))
        }
        var progress = true
        while progress, pending.contains(where: { !$0.nodes.isEmpty }) {
            progress = false
            for index in pending.indices {
                while let node = pending[index].nodes.first, let inputs = try self.inputs(of: node, outputs: outputs, layer: pending[index].name) {
                    let layer = layers[pending[index].name]!
                    let output = try inputs.count == 1 && !isList(node) ? layer(inputs[0]) : layer(inputs)
                    outputs[pending[index].name, default: []].append(output)
                    pending[index].nodes.removeFirst()
                    progress = true
                }
            }
        }
        if let stuck = pending.first(where: { !$0.nodes.isEmpty }) {
            throw KerasModelError.invalidModel(file: file, reason: "the call of layer '\(stuck.name)' reads a tensor no layer makes")
        }
        func tensors(_ key: String) throws -> [SymbolicTensor] {
            guard let value = config[key]?.array else {
                throw KerasModelError.invalidModel(file: file, reason: "Functional '\(name)' has no \(key)")
            }
            let references = value.first?.string != nil ? [JSONValue.array(value)] : value
            return try references.map { reference in
                guard let tensor = try self.tensor(reference, outputs: outputs, layers: layers) else {
                    throw KerasModelError.invalidModel(file: file, reason: "\(key) of '\(name)' names \(reference.text), which no layer makes")
                }
                return tensor
            }
        }
        return try Model(inputs: tensors("input_layers"), outputs: tensors("output_layers"), name: name)
    }

    /// Whether a node's single argument is a list (a merging layer called on one tensor in a list).
    private func isList(_ node: JSONValue) -> Bool {
        if let args = node["args"]?.array, let first = args.first { return first.array != nil }
        return false
    }

    /// The tensors a call reads, or nil when one of them is not made yet.
    private func inputs(of node: JSONValue, outputs: [String: [SymbolicTensor]], layer: String) throws -> [SymbolicTensor]? {
        var references = [JSONValue]()
        if let args = node["args"]?.array {
            // Keras 3: {"args": [tensor or [tensors]], "kwargs": {...}}.
            for (key, value) in node["kwargs"]?.object ?? [:] where !value.isNull {
                throw KerasModelError.unsupportedArgument(file: file, layer: layer, argument: "call argument \(key)", value: value.text)
            }
            guard args.count == 1 else {
                throw KerasModelError.unsupportedArgument(file: file, layer: layer, argument: "call arguments",
                                                          value: "\(args.count) positional arguments")
            }
            references = args[0].array ?? [args[0]]
            references = try references.map { item in
                guard let history = item["config"]?["keras_history"] else {
                    throw KerasModelError.invalidModel(file: file, reason: "layer '\(layer)' is called on \(item.text.prefix(120)), not a tensor")
                }
                return history
            }
        } else if let legacy = node.array {
            // Keras 2: [[layer, node index, tensor index, kwargs], ...].
            for item in legacy {
                if let kwargs = item.array?.dropFirst(3).first?.object, let (key, value) = kwargs.first(where: { !$0.value.isNull }) {
                    throw KerasModelError.unsupportedArgument(file: file, layer: layer, argument: "call argument \(key)", value: value.text)
                }
            }
            references = legacy.map { .array(Array(($0.array ?? []).prefix(3))) }
        }
        var tensors = [SymbolicTensor]()
        for reference in references {
            guard let tensor = try tensor(reference, outputs: outputs, layers: nil) else { return nil }
            tensors.append(tensor)
        }
        return tensors
    }

    /// The tensor `[layer, node index, tensor index]` names, or nil when that call is not made yet.
    private func tensor(_ reference: JSONValue, outputs: [String: [SymbolicTensor]], layers: [String: any Layer]?) throws -> SymbolicTensor? {
        guard let items = reference.array, items.count == 3, let name = items[0].string, var node = items[1].int,
              let index = items[2].int else {
            throw KerasModelError.invalidModel(file: file, reason: "\(reference.text) is not a [layer, node, tensor] reference")
        }
        guard index == 0 else {
            throw KerasModelError.unsupportedArgument(file: file, layer: name, argument: "output", value: "\(index) (layers of several outputs)")
        }
        let made = outputs[name] ?? []
        // A nested Functional model's node 0 is its own: the model's input_layers and output_layers count from 1.
        if let layers, layers[name] is Model, node == made.count { node -= 1 }
        return node < made.count ? made[node] : nil
    }
}
