import Foundation

/// Built-in schedules for ``LearningRateScheduler``: pure functions of the
/// 0-based epoch (the current rate is ignored).
public enum LearningRateSchedules {
    /// `initial · factor^⌊epoch / every⌋`.
    public static func step(initial: Float, factor: Float, every: Int) -> (Int, Float) -> Float {
        let every = max(every, 1)
        return { epoch, _ in initial * pow(factor, Float(epoch / every)) }
    }

    /// `initial · decayRate^(epoch / decayEpochs)` (continuous).
    public static func exponential(initial: Float, decayRate: Float, decayEpochs: Float = 1) -> (Int, Float) -> Float {
        { epoch, _ in initial * pow(decayRate, Float(epoch) / max(decayEpochs, .leastNormalMagnitude)) }
    }

    /// Linear warm-up from `initial / (warmupEpochs + 1)` to `initial` over
    /// `warmupEpochs`, then cosine decay to `minimum` at `totalEpochs − 1`.
    public static func cosine(initial: Float, warmupEpochs: Int = 0, totalEpochs: Int,
                              minimum: Float = 0) -> (Int, Float) -> Float {
        { epoch, _ in
            if epoch < warmupEpochs { return initial * Float(epoch + 1) / Float(warmupEpochs + 1) }
            let span = max(totalEpochs - 1 - warmupEpochs, 1)
            let progress = min(Float(epoch - warmupEpochs) / Float(span), 1)
            return minimum + (initial - minimum) * 0.5 * (1 + cos(.pi * progress))
        }
    }
}
