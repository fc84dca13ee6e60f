/// What callbacks see of a training run: the model, its optimiser, and a
/// way to ask `fit` to stop after the current batch or epoch.
public final class TrainingContext {
    /// The model being trained.
    public let model: Model
    /// The optimiser of the run (callbacks may change its learning rate).
    public let optimizer: any Optimizer
    /// Set by a callback to end `fit`: at the end of the epoch, or at once
    /// when set during a batch (as ``TerminateOnNaN`` does).
    public var stopTraining = false

    /// The context of a run of `model` with `optimizer`.
    public init(model: Model, optimizer: any Optimizer) {
        self.model = model
        self.optimizer = optimizer
    }
}
