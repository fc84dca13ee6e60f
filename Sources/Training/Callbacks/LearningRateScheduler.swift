/// Sets the learning rate at the start of each epoch from a schedule of
/// (epoch, current rate), as Keras's `LearningRateScheduler`.
///
/// ```swift
/// let warmup = LearningRateScheduler(LearningRateSchedules.cosine(initial: 1e-3, warmupEpochs: 2, totalEpochs: 20))
/// let halve = LearningRateScheduler { epoch, lr in epoch == 10 ? lr / 2 : lr }
/// ```
public final class LearningRateScheduler: Callback {
    private let schedule: (Int, Float) -> Float

    /// `schedule` maps (0-based epoch, current rate) to the epoch's rate (> 0).
    public init(_ schedule: @escaping (_ epoch: Int, _ learningRate: Float) -> Float) {
        self.schedule = schedule
    }

    public func epochBegan(_ epoch: Int, context: TrainingContext) throws {
        let optimizer = context.optimizer
        let rate = schedule(epoch, optimizer.learningRate)
        guard rate.isFinite, rate > 0 else {
            throw TrainingError.invalidArgument(parameter: "learningRate", value: "\(rate)", reason: "schedule returned a non-positive rate at epoch \(epoch)")
        }
        optimizer.learningRate = rate
    }
}
