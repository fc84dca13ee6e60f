/// Stops training as soon as a batch loss is NaN or infinite.
public final class TerminateOnNaN: Callback {
    /// The (0-based) batch of the epoch at which a bad loss was seen.
    public private(set) var terminatedAtBatch: Int?

    /// A callback with no options.
    public init() {}

    public func batchEnded(_ batch: Int, logs: Logs, context: TrainingContext) throws {
        if let loss = logs["loss"], !loss.isFinite {
            terminatedAtBatch = batch
            context.stopTraining = true
        }
    }
}
