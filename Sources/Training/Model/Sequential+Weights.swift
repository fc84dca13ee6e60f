extension Sequential {
    /// Every parameter as `(name, tensor)`, named `layer/parameter`
    /// (`conv2d/kernel`, `batch_normalization/moving_mean`), in layer order.
    public func namedWeights() -> [(name: String, tensor: Tensor)] {
        layers.flatMap { layer in layer.parameters.map { ("\(layer.name)/\($0.name)", $0.tensor) } }
    }

    /// A copy of every parameter's values, in order (Keras's `get_weights`).
    public func weightValues() -> [[Float]] {
        parameters.map { $0.value.array(count: $0.count) }
    }

    /// Restores values taken by ``weightValues()`` from this model.
    public func setWeightValues(_ values: [[Float]]) throws {
        let parameters = parameters
        guard values.count == parameters.count else {
            throw TrainingError.invalidArgument(parameter: "values", value: "\(values.count) arrays", reason: "the model has \(parameters.count) parameters")
        }
        for (parameter, array) in zip(parameters, values) {
            guard array.count == parameter.count else {
                throw TrainingError.invalidArgument(parameter: "values", value: "\(array.count) elements", reason: "\(parameter.name) holds \(parameter.count)")
            }
            parameter.value.pointer.update(from: array, count: array.count)
        }
    }

    /// Freezes every layer (`trainable = false`); fine-tuning then unfreezes the top.
    public func freezeAll() {
        for layer in layers { layer.trainable = false }
    }

    /// Makes the top `count` layers with parameters trainable again, leaving
    /// the rest frozen. Returns the names of the unfrozen layers.
    @discardableResult
    public func unfreezeTop(layersWithWeights count: Int, within range: Range<Int>? = nil) -> [String] {
        let candidates = layers[range ?? layers.indices].filter { !$0.parameters.isEmpty }
        let unfrozen = candidates.suffix(count)
        for layer in unfrozen { layer.trainable = true }
        return unfrozen.map(\.name)
    }
}
