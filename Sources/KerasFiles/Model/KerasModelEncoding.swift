import Training

/// Keras 3's serialised configuration of a model (the `config.json` of a
/// `.keras` archive): a chain model as `Sequential`, any other graph as
/// `Functional` with its inbound nodes, nested models as layers, shared
/// layers as one layer with several inbound nodes; what
/// `keras.saving.load_model` rebuilds.
struct KerasModelEncoding {
    /// The file being written, for error messages.
    let file: String

    /// `{"module", "class_name", "config", "registered_name", "build_config"}` of `model`.
    func object(_ model: Model) throws -> JSONValue {
        let sequential = model is Sequential
        let config = sequential ? try sequentialConfig(model) : try functionalConfig(model)
        return [
            "module": .string(sequential ? "keras" : "keras.src.models.functional"),
            "class_name": .string(sequential ? "Sequential" : "Functional"),
            "config": .object(config), "registered_name": nil,
            "build_config": ["input_shape": batchShape(model.inputShape)],
        ]
    }

    private func batchShape(_ shape: [Int]) -> JSONValue { .array([.null] + shape.map { JSONValue(integerLiteral: $0) }) }

    private func inputLayer(_ name: String, shape: [Int]) -> JSONValue {
        [
            "module": "keras.layers", "class_name": "InputLayer", "registered_name": nil,
            "config": ["batch_shape": batchShape(shape), "dtype": "float32", "sparse": false, "name": .string(name)],
        ]
    }

    /// A layer's entry (a nested model's object, or a layer's), with its build shape.
    private func entry(_ layer: any Layer, inputShapes: [[Int]]) throws -> [String: JSONValue] {
        if let nested = layer as? Model { return try object(nested).object! }
        let (className, config) = try KerasLayerEncoding.config(of: layer, file: file)
        let shapes = inputShapes.map(batchShape)
        return [
            "module": "keras.layers", "class_name": .string(className), "config": .object(config), "registered_name": nil,
            "build_config": ["input_shape": shapes.count == 1 ? shapes[0] : .array(shapes)],
        ]
    }

    private func sequentialConfig(_ model: Model) throws -> [String: JSONValue] {
        let nodes = model.nodes
        var layers = [inputLayer("input_layer", shape: model.inputShape)]
        for node in nodes where node.layer != nil {
            layers.append(.object(try entry(node.layer!, inputShapes: node.inputs.map { nodes[$0].shape })))
        }
        return ["name": .string(model.name), "trainable": .bool(model.trainable), "dtype": KerasLayerEncoding.float32Policy,
                "layers": .array(layers), "build_input_shape": batchShape(model.inputShape)]
    }

    private func functionalConfig(_ model: Model) throws -> [String: JSONValue] {
        let nodes = model.nodes
        /// `[layer name, call, 0]` of a node's output.
        func history(_ index: Int) -> JSONValue {
            let node = nodes[index]
            return [.string(node.layer?.name ?? node.name), JSONValue(integerLiteral: node.call), 0]
        }
        var entries = [[String: JSONValue]]()
        var position = [ObjectIdentifier: Int]()
        for node in nodes {
            guard let layer = node.layer else {
                var input = inputLayer(node.name, shape: node.shape).object!
                input["name"] = .string(node.name)
                input["inbound_nodes"] = []
                entries.append(input)
                continue
            }
            let tensors = node.inputs.map { input -> JSONValue in
                ["class_name": "__keras_tensor__",
                 "config": ["shape": batchShape(nodes[input].shape), "dtype": "float32", "keras_history": history(input)]]
            }
            let call: JSONValue = ["args": [tensors.count == 1 ? tensors[0] : .array(tensors)], "kwargs": [:]]
            if let existing = position[ObjectIdentifier(layer)] {
                entries[existing]["inbound_nodes"] = .array((entries[existing]["inbound_nodes"]?.array ?? []) + [call])
                continue
            }
            var item = try entry(layer, inputShapes: node.inputs.map { nodes[$0].shape })
            item["name"] = .string(layer.name)
            item["inbound_nodes"] = [call]
            position[ObjectIdentifier(layer)] = entries.count
            entries.append(item)
        }
        func references(_ indices: [Int]) -> JSONValue {
            indices.count == 1 ? history(indices[0]) : .array(indices.map(history))
        }
        return ["name": .string(model.name), "trainable": .bool(model.trainable), "layers": .array(entries.map(JSONValue.object)),
                "input_layers": references(model.inputNodes), "output_layers": references(model.outputNodes)]
    }
}
