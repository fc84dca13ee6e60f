/// Metrics of an epoch or a running batch: `loss`, `accuracy`, `val_loss`,
/// `val_accuracy`, `learning_rate`...
public typealias Logs = [String: Double]

/// Hooks that `fit` calls as training proceeds, as Keras callbacks.
///
/// Every hook has an empty default. Epochs are 0-based, as in Keras.
/// Callbacks run in the order given, before the progress bar.
public protocol Callback: AnyObject {
    func trainBegan(model: Sequential) throws
    func epochBegan(_ epoch: Int, model: Sequential) throws
    /// After each training batch; `logs` holds the epoch's running means.
    func batchEnded(_ batch: Int, logs: Logs, model: Sequential) throws
    /// After validation; `logs` holds the epoch's metrics.
    func epochEnded(_ epoch: Int, logs: Logs, model: Sequential) throws
    func trainEnded(model: Sequential) throws
}

extension Callback {
    public func trainBegan(model: Sequential) throws {}
    public func epochBegan(_ epoch: Int, model: Sequential) throws {}
    public func batchEnded(_ batch: Int, logs: Logs, model: Sequential) throws {}
    public func epochEnded(_ epoch: Int, logs: Logs, model: Sequential) throws {}
    public func trainEnded(model: Sequential) throws {}
}
