import Training

/// Keras's legacy HDF5 weights (Keras 2 and `save_weights("x.h5")`), the
/// format of the `*_notop.h5` files `keras.applications` downloads: the root
/// (or its `model_weights` group, in a whole-model `.h5`) lists `layer_names`;
/// each layer's group lists `weight_names`, datasets relative to it.
///
/// Layers are matched by name: every model layer with weights must find its
/// group, with as many weights of the same shapes in the same order, and
/// every file layer with weights must exist in the model. A nested model is
/// one layer whose weights are all of its layers', in order (as Keras writes it).
enum LegacyH5Weights {
    /// Whether `root` looks like this format.
    static func recognizes(_ root: HDF5Group) throws -> Bool {
        try root.isGroup("model_weights") || root.strings(attribute: "layer_names") != nil
    }

    /// The file's layers with weights, in file order.
    static func read(_ root: HDF5Group) throws -> [(layer: String, weights: [FileWeight])] {
        let weightsRoot = root.isGroup("model_weights") ? try root.group("model_weights") : root
        guard let layerNames = try weightsRoot.strings(attribute: "layer_names") else {
            throw TrainingError.weightsFile(path: root.file, reason: "\(weightsRoot.path) has no layer_names attribute")
        }
        return try layerNames.compactMap { name in
            let group = try weightsRoot.group(name)
            let weightNames = try group.strings(attribute: "weight_names") ?? []
            guard !weightNames.isEmpty else { return nil }
            let weights = try weightNames.map { weightName in
                let (shape, values) = try group.dataset(weightName)
                return FileWeight(name: weightName, shape: shape, values: values)
            }
            return (name, weights)
        }
    }

    /// Pairs `model`'s layers with the file's by name (see the type's rules).
    static func assignment(_ root: HDF5Group, to model: Model) throws -> WeightAssignment {
        let layers = try read(root)
        var byName = [String: [FileWeight]]()
        for (name, weights) in layers { byName[name] = weights }
        var assignment = WeightAssignment(file: root.file)
        let weighted = model.layers.filter { !(($0 as? Model)?.parameters ?? $0.parameters).isEmpty }
        for layer in weighted {
            guard let weights = byName.removeValue(forKey: layer.name) else {
                throw TrainingError.weightsFile(path: root.file,
                                                reason: "layer '\(layer.name)' has weights but the file has no layer of that name")
            }
            try assignment.assign(layer, path: layer.name, weights)
        }
        if let extra = layers.first(where: { byName[$0.layer] != nil }) {
            throw TrainingError.weightsFile(path: root.file,
                                            reason: "the file's layer '\(extra.layer)' has weights but the model has no layer of that name")
        }
        return assignment
    }
}
