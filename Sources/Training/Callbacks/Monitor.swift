/// Whether a monitored quantity should go down or up.
public enum MonitorMode: String, Sendable {
    /// `max` for names containing "acc" (accuracy), else `min` (losses).
    case auto
    case min
    case max
}

/// A monitored metric with its direction and minimum improvement, shared by
/// EarlyStopping, ReduceLROnPlateau and ModelCheckpoint.
public struct Monitor: Sendable {
    public let metric: String
    public let minDelta: Double
    /// The resolved direction (never `.auto`).
    public let mode: MonitorMode

    /// Resolves `.auto` from the metric name; throws on a negative `minDelta`.
    public init(metric: String, mode: MonitorMode, minDelta: Double) throws {
        try require(minDelta >= 0, "minDelta", minDelta, "must be ≥ 0")
        self.metric = metric
        self.minDelta = minDelta
        if mode == .auto {
            self.mode = metric.contains("acc") ? .max : .min
        } else {
            self.mode = mode
        }
    }

    /// True when `current` beats `reference` by more than `minDelta`
    /// (always true without a reference).
    public func isImprovement(_ current: Double, over reference: Double?) -> Bool {
        guard let reference else { return true }
        return mode == .min ? current < reference - minDelta : current > reference + minDelta
    }

    /// The metric's value in `logs`, or a typed error listing what is there.
    public func value(in logs: Logs) throws -> Double {
        guard let value = logs[metric] else {
            throw TrainingError.missingMetric(name: metric, available: Array(logs.keys))
        }
        return value
    }
}
