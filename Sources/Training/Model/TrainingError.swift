/// Errors of model construction, training and weight files, each naming the
/// offending layer, key, file or value.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// A constructor argument out of range (`parameter` names it).
    case invalidArgument(parameter: String, value: String, reason: String)
    /// A layer cannot accept the shape its predecessor produces.
    case incompatibleShape(layer: String, inputShape: [Int], reason: String)
    /// A batch does not match the model's input or loss.
    case badBatch(reason: String)
    /// `fit`/`evaluate` used before `compile`.
    case notCompiled
    /// A callback asked for a metric that the logs do not contain.
    case missingMetric(name: String, available: [String])
    /// A weights file is unreadable or does not match the model.
    case weightsFile(path: String, reason: String)
    /// A checkpoint does not fit the run that restores it (see ``Checkpointable``).
    case checkpoint(reason: String)
    /// `fit` stopped mid-epoch at ``TrainingContext/interrupt()`` (a signal): `history`
    /// holds the epochs done; the run continues from (`epoch`, `batch`).
    case interrupted(history: History, epoch: Int, batch: Int)

    public var description: String {
        switch self {
        case let .invalidArgument(parameter, value, reason):
            return "invalid \(parameter) = \(value): \(reason)"
        case let .incompatibleShape(layer, shape, reason):
            return "layer \(layer) cannot take input shape \(shape): \(reason)"
        case let .badBatch(reason):
            return "bad batch: \(reason)"
        case .notCompiled:
            return "the model must be compiled (optimizer, loss) before fit or evaluate"
        case let .missingMetric(name, available):
            return "metric '\(name)' is not in the logs (available: \(available.sorted().joined(separator: ", ")))"
        case let .weightsFile(path, reason):
            return "weights file \(path): \(reason)"
        case let .checkpoint(reason):
            return "checkpoint: \(reason)"
        case let .interrupted(history, epoch, batch):
            return "training interrupted at epoch \(epoch + 1), batch \(batch) (\(history.epochs.count) epochs done)"
        }
    }
}

/// Throws ``TrainingError/invalidArgument(parameter:value:reason:)`` unless `condition` holds.
func require(_ condition: Bool, _ parameter: String, _ value: Any, _ reason: String) throws {
    if !condition { throw TrainingError.invalidArgument(parameter: parameter, value: "\(value)", reason: reason) }
}
