import Training

/// `training.early_stopping`, with Keras's option names and defaults.
public struct EarlyStoppingSpec: Codable, Sendable, Equatable {
    public var monitor = "val_loss"
    public var minDelta = 0.0
    public var patience = 0
    public var mode = "auto"
    public var baseline: Double?
    public var restoreBestWeights = false

    enum CodingKeys: String, CodingKey, CaseIterable {
        case monitor, minDelta = "min_delta", patience, mode, baseline
        case restoreBestWeights = "restore_best_weights"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        monitor = try c.value(.monitor, default: monitor)
        minDelta = try c.value(.minDelta, default: minDelta)
        patience = try c.value(.patience, default: patience)
        try c.check(patience >= 0, .patience, "must be ≥ 0, got \(patience)")
        mode = try c.word(.mode, in: ["auto", "min", "max"], default: mode)
        baseline = try c.decodeIfPresent(Double.self, forKey: .baseline)
        restoreBestWeights = try c.value(.restoreBestWeights, default: restoreBestWeights)
    }

    public func makeCallback() throws -> EarlyStopping {
        try EarlyStopping(monitor: monitor, minDelta: minDelta, patience: patience,
                          mode: MonitorMode(rawValue: mode) ?? .auto, baseline: baseline,
                          restoreBestWeights: restoreBestWeights)
    }
}

/// `training.reduce_lr_on_plateau`, with Keras's option names and defaults.
public struct ReduceLROnPlateauSpec: Codable, Sendable, Equatable {
    public var monitor = "val_loss"
    public var factor: Float = 0.1
    public var patience = 10
    public var mode = "auto"
    public var minDelta = 1e-4
    public var cooldown = 0
    public var minLR: Float = 0

    enum CodingKeys: String, CodingKey, CaseIterable {
        case monitor, factor, patience, mode, minDelta = "min_delta", cooldown, minLR = "min_lr"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        monitor = try c.value(.monitor, default: monitor)
        factor = try c.value(.factor, default: factor)
        try c.check(factor > 0 && factor < 1, .factor, "must be in (0, 1), got \(factor)")
        patience = try c.value(.patience, default: patience)
        try c.check(patience >= 0, .patience, "must be ≥ 0, got \(patience)")
        mode = try c.word(.mode, in: ["auto", "min", "max"], default: mode)
        minDelta = try c.value(.minDelta, default: minDelta)
        cooldown = try c.value(.cooldown, default: cooldown)
        try c.check(cooldown >= 0, .cooldown, "must be ≥ 0, got \(cooldown)")
        minLR = try c.value(.minLR, default: minLR)
        try c.check(minLR >= 0, .minLR, "must be ≥ 0, got \(minLR)")
    }

    public func makeCallback() throws -> ReduceLROnPlateau {
        try ReduceLROnPlateau(monitor: monitor, factor: factor, patience: patience,
                              mode: MonitorMode(rawValue: mode) ?? .auto, minDelta: minDelta,
                              cooldown: cooldown, minLR: minLR)
    }
}

/// `training.schedule`: a built-in learning-rate schedule by epoch.
///
/// ```yaml
/// schedule: {type: cosine, warmup_epochs: 2, min_learning_rate: 0.00001}
/// schedule: {type: step, factor: 0.5, every: 10}
/// schedule: {type: exponential, decay_rate: 0.9}
/// ```
public struct ScheduleSpec: Codable, Sendable, Equatable {
    public var type: String
    public var factor: Float = 0.5
    public var every = 10
    public var decayRate: Float = 0.9
    public var warmupEpochs = 0
    public var minLearningRate: Float = 0

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, factor, every, decayRate = "decay_rate", warmupEpochs = "warmup_epochs"
        case minLearningRate = "min_learning_rate"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.word(.type, in: ["step", "exponential", "cosine"], default: "cosine")
        factor = try c.value(.factor, default: factor)
        try c.check(factor > 0, .factor, "must be positive, got \(factor)")
        every = try c.value(.every, default: every)
        try c.check(every >= 1, .every, "must be at least 1, got \(every)")
        decayRate = try c.value(.decayRate, default: decayRate)
        try c.check(decayRate > 0, .decayRate, "must be positive, got \(decayRate)")
        warmupEpochs = try c.value(.warmupEpochs, default: warmupEpochs)
        try c.check(warmupEpochs >= 0, .warmupEpochs, "must be ≥ 0, got \(warmupEpochs)")
        minLearningRate = try c.value(.minLearningRate, default: minLearningRate)
    }

    public func makeCallback(initial: Float, epochs: Int) -> LearningRateScheduler {
        switch type {
        case "step": return LearningRateScheduler(LearningRateSchedules.step(initial: initial, factor: factor, every: every))
        case "exponential": return LearningRateScheduler(LearningRateSchedules.exponential(initial: initial, decayRate: decayRate))
        default:
            return LearningRateScheduler(LearningRateSchedules.cosine(
                initial: initial, warmupEpochs: warmupEpochs, totalEpochs: epochs, minimum: minLearningRate))
        }
    }
}
