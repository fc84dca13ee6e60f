/// The model's piece of a checkpoint: every parameter (trainable or not,
/// moving statistics included) by its ``Model/namedWeights()`` name, and the seed.
extension Model: Checkpointable {
    private struct Values: Codable { var seed: UInt64 }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: Values(seed: seed), tensors: Dictionary(uniqueKeysWithValues: namedWeights().map { ($0.name, $0.tensor) }))
    }

    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        let values = try state.values(Values.self)
        guard values.seed == seed else {
            throw TrainingError.checkpoint(reason: "it was taken with model seed \(values.seed), this model has seed \(seed)")
        }
        let named = namedParameters()
        guard state.tensors.count == named.count else {
            throw TrainingError.checkpoint(reason: "it holds \(state.tensors.count) weights, the model has \(named.count)")
        }
        for (name, parameter) in named {
            let tensor = try state.tensor(name)
            guard tensor.shape == parameter.shape else {
                throw TrainingError.checkpoint(reason: "weight '\(name)' has shape \(tensor.shape), the model expects \(parameter.shape)")
            }
            parameter.tensor = tensor
        }
    }
}

/// The trainer's piece of a checkpoint: its step count.
extension Trainer: Checkpointable {
    private struct Values: Codable { var step: Int }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: Values(step: step))
    }

    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        step = try state.values(Values.self).step
    }
}
