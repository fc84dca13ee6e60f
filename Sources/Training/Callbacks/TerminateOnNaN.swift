/// Stops training as soon as a batch loss is NaN or infinite.
public final class TerminateOnNaN: Callback {
    /// The (0-based) batch of the epoch at which a bad loss was seen.
    public internal(set) var terminatedAtBatch: Int?

    /// A callback with no options.
    public init() {}

    public func batchEnded(_ batch: Int, logs: Logs, context: TrainingContext) throws {
        if let loss = logs["loss"], !loss.isFinite {
            terminatedAtBatch = batch
            context.stopTraining = true
        }
    }
}

/// TerminateOnNaN's piece of a checkpoint: the batch of a bad loss, if any.
extension TerminateOnNaN: Checkpointable {
    private struct Values: Codable { var terminatedAtBatch: Int? }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: Values(terminatedAtBatch: terminatedAtBatch))
    }

    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        terminatedAtBatch = try state.values(Values.self).terminatedAtBatch
    }
}
