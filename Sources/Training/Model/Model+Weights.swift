extension Model {
    /// Every parameter as `(name, tensor)`, named `layer/parameter`
    /// (`conv2d/kernel`, `batch_normalization/moving_mean`; a nested model's
    /// as `model/layer/parameter`), in layer order.
    public func namedWeights() -> [(name: String, tensor: Tensor)] {
        namedParameters().map { ($0.name, $0.parameter.tensor) }
    }

    /// Every parameter with its path, as ``namedWeights()`` names them.
    func namedParameters() -> [(name: String, parameter: Parameter)] {
        layers.flatMap { layer -> [(name: String, parameter: Parameter)] in
            if let nested = layer as? Model {
                return nested.namedParameters().map { ("\(layer.name)/\($0.name)", $0.parameter) }
            }
            return layer.parameters.map { ("\(layer.name)/\($0.name)", $0) }
        }
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
        trainable = false
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
