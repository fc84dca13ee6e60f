/// Stops training when a monitored metric stops improving, as Keras's
/// `EarlyStopping`.
///
/// At each epoch end: an improvement (beyond `minDelta`) records the value
/// (and the weights, with `restoreBestWeights`) and resets the wait unless a
/// `baseline` is given and not beaten; otherwise the wait grows, and once it
/// reaches `patience` (after the first epoch) training stops. With
/// `restoreBestWeights` the best epoch's weights are put back when training
/// ends, as Keras 3 does.
///
/// ```swift
/// let stop = try EarlyStopping(monitor: "val_loss", patience: 6, restoreBestWeights: true)
/// ```
public final class EarlyStopping: Callback {
    public let monitor: Monitor
    public let patience: Int
    public let baseline: Double?
    public let restoreBestWeights: Bool

    /// Best value seen and its (0-based) epoch.
    public internal(set) var best: Double?
    public internal(set) var bestEpoch = 0
    /// The epoch at which training was stopped, if it was.
    public internal(set) var stoppedEpoch: Int?
    var wait = 0
    var bestWeights: [[Float]]?

    /// Keras defaults; throws on a negative patience or minDelta.
    public init(monitor: String = "val_loss", minDelta: Double = 0, patience: Int = 0,
                mode: MonitorMode = .auto, baseline: Double? = nil, restoreBestWeights: Bool = false) throws {
        try require(patience >= 0, "patience", patience, "must be ≥ 0")
        self.monitor = try Monitor(metric: monitor, mode: mode, minDelta: minDelta)
        self.patience = patience
        self.baseline = baseline
        self.restoreBestWeights = restoreBestWeights
    }

    public func trainBegan(context: TrainingContext) throws {
        wait = 0; best = nil; bestEpoch = 0; stoppedEpoch = nil; bestWeights = nil
    }

    public func epochEnded(_ epoch: Int, logs: Logs, context: TrainingContext) throws {
        let current = try monitor.value(in: logs)
        if restoreBestWeights, bestWeights == nil { bestWeights = context.model.weightValues() }
        wait += 1
        if monitor.isImprovement(current, over: best) {
            best = current
            bestEpoch = epoch
            if restoreBestWeights { bestWeights = context.model.weightValues() }
            if baseline == nil || monitor.isImprovement(current, over: baseline) { wait = 0 }
            return
        }
        if wait >= patience, epoch > 0 {
            stoppedEpoch = epoch
            context.stopTraining = true
        }
    }

    public func trainEnded(context: TrainingContext) throws {
        if restoreBestWeights, let bestWeights { try context.model.setWeightValues(bestWeights) }
    }
}

/// Early stopping's piece of a checkpoint: the wait, the best value and epoch,
/// the stopped epoch and, with `restoreBestWeights`, the best weights.
extension EarlyStopping: Checkpointable {
    private struct Values: Codable { var wait: Int, best: Double?, bestEpoch: Int, stoppedEpoch: Int?, bestWeightCount: Int? }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        var tensors: [String: Tensor] = [:]
        for (index, values) in (bestWeights ?? []).enumerated() {
            tensors["best_weights/\(index)"] = Tensor(shape: [values.count], scalars: values)
        }
        return try CheckpointState(values: Values(wait: wait, best: best, bestEpoch: bestEpoch, stoppedEpoch: stoppedEpoch,
                                                  bestWeightCount: bestWeights?.count),
                                   tensors: tensors)
    }

    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        let values = try state.values(Values.self)
        wait = values.wait; best = values.best; bestEpoch = values.bestEpoch; stoppedEpoch = values.stoppedEpoch
        bestWeights = try values.bestWeightCount.map { count in
            try (0..<count).map { try state.tensor("best_weights/\($0)").scalars }
        }
    }
}
