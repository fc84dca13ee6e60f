/// Metrics of an epoch or a running batch: `loss`, `accuracy`, `val_loss`,
/// `val_accuracy`, `learning_rate`...
public typealias Logs = [String: Double]

/// Hooks that `fit` calls as training proceeds, as Keras callbacks.
///
/// Every hook has an empty default. Epochs are 0-based, as in Keras.
/// Callbacks run in the order given, before the progress bar. Each hook gets
/// the run's ``TrainingContext`` (the model, its optimiser, a stop request).
public protocol Callback: AnyObject {
    func trainBegan(context: TrainingContext) throws
    func epochBegan(_ epoch: Int, context: TrainingContext) throws
    /// After each training batch; `logs` holds the epoch's running means.
    func batchEnded(_ batch: Int, logs: Logs, context: TrainingContext) throws
    /// After validation; `logs` holds the epoch's metrics.
    func epochEnded(_ epoch: Int, logs: Logs, context: TrainingContext) throws
    func trainEnded(context: TrainingContext) throws
    /// After a batch's or an epoch's hooks have all run (and the history has
    /// recorded the epoch): the run's state is whole here, so checkpoints are
    /// taken here. ``TrainingContext/progress`` says where the run stands.
    func stateSettled(context: TrainingContext) throws
}

extension Callback {
    public func trainBegan(context: TrainingContext) throws {}
    public func epochBegan(_ epoch: Int, context: TrainingContext) throws {}
    public func batchEnded(_ batch: Int, logs: Logs, context: TrainingContext) throws {}
    public func epochEnded(_ epoch: Int, logs: Logs, context: TrainingContext) throws {}
    public func trainEnded(context: TrainingContext) throws {}
    public func stateSettled(context: TrainingContext) throws {}
}
