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
    public private(set) var best: Double?
    public private(set) var bestEpoch = 0
    /// The epoch at which training was stopped, if it was.
    public private(set) var stoppedEpoch: Int?
    private var wait = 0
    private var bestWeights: [[Float]]?

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
