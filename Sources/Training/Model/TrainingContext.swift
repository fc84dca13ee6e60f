/// What callbacks see of a training run: the model, its optimiser, where
/// `fit` stands, and ways to ask `fit` to stop.
public final class TrainingContext {
    /// The model being trained.
    public let model: Model
    /// The optimiser of the run (callbacks may change its learning rate).
    public let optimizer: any Optimizer
    /// The run's callbacks, in order (a checkpoint saves those that are ``Checkpointable``).
    public let callbacks: [any Callback]
    /// Where `fit` stands: epoch, batch, running totals, history.
    public let progress: FitProgress
    /// Set by a callback to end `fit`: at the end of the epoch, or at once
    /// when set during a batch (as ``TerminateOnNaN`` does).
    public var stopTraining = false
    /// Whether ``interrupt()`` was called.
    public private(set) var interrupted = false
    /// A checkpoint read at `trainBegan` (by ``BackupAndRestore``), which `fit`
    /// restores once every callback's `trainBegan` has run.
    var pendingRestore: RunCheckpoint?

    /// The context of a run of `model` with `optimizer` and `callbacks`.
    public init(model: Model, optimizer: any Optimizer, callbacks: [any Callback] = []) {
        self.model = model
        self.optimizer = optimizer
        self.callbacks = callbacks
        progress = FitProgress(metricNames: model.metricNames)
    }

    /// Asks `fit` to stop after the current batch without finishing the epoch
    /// (a signal): callbacks get ``Callback/stateSettled(context:)`` (a
    /// ``BackupAndRestore`` writes its checkpoint), then `fit` throws
    /// ``TrainingError/interrupted(history:epoch:batch:)`` without `trainEnded`.
    public func interrupt() {
        interrupted = true
    }

    /// Asks `fit` to continue from `checkpoint` once every callback's `trainBegan` has run.
    func resume(from checkpoint: RunCheckpoint) {
        pendingRestore = checkpoint
    }
}
