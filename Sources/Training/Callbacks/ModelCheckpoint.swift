import Foundation

/// Saves the model's weights (safetensors) at epoch ends: only when the
/// monitored metric improves with `saveBestOnly`, else every epoch.
/// `{epoch}` in the path becomes the 1-based epoch, zero-padded to 2 digits.
///
/// ```swift
/// let checkpoint = try ModelCheckpoint(path: "best.safetensors", monitor: "val_accuracy")
/// ```
public final class ModelCheckpoint: Callback {
    public let path: String
    public let monitor: Monitor
    public let saveBestOnly: Bool
    /// Paths written so far, in order.
    public internal(set) var saved: [String] = []
    var best: Double?
    /// False on the processes or replicas of a data-parallel run other than the first: they
    /// follow the best value and the paths (their checkpoints hold the same pieces as the
    /// first's, so that every one restores) but leave the writing to the first.
    public var writesFiles = true

    /// `path` may contain `{epoch}`; `monitor` is read from the epoch logs.
    public init(path: String, monitor: String = "val_loss", mode: MonitorMode = .auto, saveBestOnly: Bool = true) throws {
        self.path = path
        self.monitor = try Monitor(metric: monitor, mode: mode, minDelta: 0)
        self.saveBestOnly = saveBestOnly
    }

    public func trainBegan(context: TrainingContext) throws { best = nil; saved = [] }

    public func epochEnded(_ epoch: Int, logs: Logs, context: TrainingContext) throws {
        if saveBestOnly {
            let current = try monitor.value(in: logs)
            guard monitor.isImprovement(current, over: best) else { return }
            best = current
        }
        let target = path.replacingOccurrences(of: "{epoch}", with: String(format: "%02d", epoch + 1))
        if writesFiles { try context.model.saveWeights(to: target) }
        saved.append(target)
    }
}

/// ModelCheckpoint's piece of a checkpoint: the best value and the paths written.
extension ModelCheckpoint: Checkpointable {
    private struct Values: Codable { var best: Double?, saved: [String] }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: Values(best: best, saved: saved))
    }

    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        let values = try state.values(Values.self)
        best = values.best; saved = values.saved
    }
}
