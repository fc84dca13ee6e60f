import Training

/// Keras 3's `.weights.h5` (also `model.weights.h5` inside a `.keras` archive):
/// `layers/<key>/vars/0, 1...` per layer, where `<key>` is the snake-case
/// class name made unique in the model's layer list (`conv2d`, `conv2d_1`,
/// `input_layer`...), a nested model holding its own `layers` group, and
/// each `vars` group naming its layer in a `name` attribute.
///
/// Reading finds a layer's group by that `name` attribute, or by the key
/// when a file has no names; writing produces what Keras's `save_weights` does.
enum KerasV3Weights {
    /// Whether `root` looks like this format.
    static func recognizes(_ root: HDF5Group) -> Bool { root.isGroup("layers") }

    /// Keras's keys of `model`'s layers, in order: Functional models count
    /// their input layers (`input_layer`, ...) first, as Keras lists them.
    static func keys(of model: Model) -> [(key: String, layer: (any Layer)?)] {
        var used = [String: Int]()
        func unique(_ stem: String) -> String {
            let count = used[stem, default: 0]
            used[stem] = count + 1
            return count == 0 ? stem : "\(stem)_\(count)"
        }
        var keys = [(key: String, layer: (any Layer)?)]()
        if model.typeName == "Functional" {
            for _ in model.inputShapes { keys.append((unique("input_layer"), nil)) }
        }
        for layer in model.layers { keys.append((unique(layer.defaultNameStem), layer)) }
        return keys
    }

    /// Pairs every weighted layer of `model` with its `vars` datasets.
    static func assignment(_ root: HDF5Group, to model: Model) throws -> WeightAssignment {
        var assignment = WeightAssignment(file: root.file)
        try assign(root, model: model, path: "", into: &assignment)
        return assignment
    }

    private static func assign(_ group: HDF5Group, model: Model, path: String,
                               into assignment: inout WeightAssignment) throws {
        let layersGroup = try group.group("layers")
        var byName = [String: String]()
        for member in try layersGroup.memberNames() where layersGroup.isGroup(member) {
            let entry = try layersGroup.group(member)
            if entry.isGroup("vars"), let name = try entry.group("vars").strings(attribute: "name")?.first {
                byName[name] = member
            }
        }
        for (key, layer) in keys(of: model) {
            guard let layer else { continue }
            let layerPath = path + layer.name
            let hasWeights = !((layer as? Model)?.parameters ?? layer.parameters).isEmpty
            guard hasWeights else { continue }
            let member = byName[layer.name] ?? key
            guard layersGroup.isGroup(member) else {
                throw TrainingError.weightsFile(path: group.file,
                                                reason: "layer '\(layerPath)' has weights but \(layersGroup.path) has no group for it (\(key))")
            }
            let entry = try layersGroup.group(member)
            if let nested = layer as? Model {
                try assign(entry, model: nested, path: layerPath + "/", into: &assignment)
                continue
            }
            let vars = try entry.group("vars")
            let count = try vars.memberNames().count
            let weights = try (0..<count).map { index -> FileWeight in
                let (shape, values) = try vars.dataset("\(index)")
                return FileWeight(name: "\(vars.path)/\(index)", shape: shape, values: values)
            }
            try assignment.assign(layer, path: layerPath, weights)
        }
    }

    /// Writes `model`'s weights as Keras's `save_weights` lays them out.
    static func write(_ model: Model, to root: HDF5Group) throws {
        let layersGroup = try root.createGroup("layers")
        for (key, layer) in keys(of: model) {
            let entry = try layersGroup.createGroup(key)
            guard let layer else {
                try entry.createGroup("vars").writeAttribute("name", string: "input_layer")
                continue
            }
            if let nested = layer as? Model {
                try write(nested, to: entry)
                continue
            }
            let vars = try entry.createGroup("vars")
            try vars.writeAttribute("name", string: layer.name)
            for (index, parameter) in layer.parameters.enumerated() {
                // Keras keeps Normalization's `count` as int64.
                try vars.writeDataset("\(index)", shape: parameter.shape, values: parameter.value.array(count: parameter.count),
                                      asInteger: layer is Normalization && parameter.name == "count")
            }
        }
        try root.createGroup("vars").writeAttribute("name", string: model.name)
    }
}
