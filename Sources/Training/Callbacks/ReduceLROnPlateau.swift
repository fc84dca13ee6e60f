/// Multiplies the learning rate by `factor` when a metric has not improved
/// for `patience` epochs, then waits `cooldown` epochs, never going below
/// `minLR` — Keras's `ReduceLROnPlateau`.
///
/// ```swift
/// let plateau = try ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 3)
/// ```
public final class ReduceLROnPlateau: Callback {
    public let monitor: Monitor
    public let factor: Float
    public let patience: Int
    public let cooldown: Int
    public let minLR: Float

    /// Epochs (0-based) at which the rate was reduced, and to what.
    public internal(set) var reductions: [(epoch: Int, learningRate: Float)] = []
    var best: Double?
    var wait = 0
    var cooldownCounter = 0

    /// Keras defaults; throws unless 0 < factor < 1 and the counts are ≥ 0.
    public init(monitor: String = "val_loss", factor: Float = 0.1, patience: Int = 10,
                mode: MonitorMode = .auto, minDelta: Double = 1e-4, cooldown: Int = 0, minLR: Float = 0) throws {
        try require(factor < 1 && factor > 0, "factor", factor, "must lie in (0, 1)")
        try require(patience >= 0, "patience", patience, "must be ≥ 0")
        try require(cooldown >= 0, "cooldown", cooldown, "must be ≥ 0")
        try require(minLR >= 0, "minLR", minLR, "must be ≥ 0")
        self.monitor = try Monitor(metric: monitor, mode: mode, minDelta: minDelta)
        self.factor = factor
        self.patience = patience
        self.cooldown = cooldown
        self.minLR = minLR
    }

    public func trainBegan(context: TrainingContext) throws {
        best = nil; wait = 0; cooldownCounter = 0; reductions = []
    }

    public func epochEnded(_ epoch: Int, logs: Logs, context: TrainingContext) throws {
        let current = try monitor.value(in: logs)
        let optimizer = context.optimizer
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            wait = 0
        }
        if monitor.isImprovement(current, over: best) {
            best = current
            wait = 0
        } else if cooldownCounter == 0 {
            wait += 1
            if wait >= patience, optimizer.learningRate > minLR {
                optimizer.learningRate = max(optimizer.learningRate * factor, minLR)
                reductions.append((epoch, optimizer.learningRate))
                cooldownCounter = cooldown
                wait = 0
            }
        }
    }
}

/// ReduceLROnPlateau's piece of a checkpoint: best value, wait, cooldown and
/// the reductions so far (the rate itself is the optimiser's).
extension ReduceLROnPlateau: Checkpointable {
    private struct Reduction: Codable { var epoch: Int, learningRate: Double }
    private struct Values: Codable { var best: Double?, wait: Int, cooldownCounter: Int, reductions: [Reduction] }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: Values(best: best, wait: wait, cooldownCounter: cooldownCounter,
                                           reductions: reductions.map { Reduction(epoch: $0.epoch, learningRate: Double($0.learningRate)) }))
    }

    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        let values = try state.values(Values.self)
        best = values.best; wait = values.wait; cooldownCounter = values.cooldownCounter
        reductions = values.reductions.map { ($0.epoch, Float($0.learningRate)) }
    }
}
