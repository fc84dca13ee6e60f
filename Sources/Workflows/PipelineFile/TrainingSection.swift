import CPUBudget
import Training

/// The optional `training` section: optimizer, loss, epochs, callbacks and
/// learning-rate schedule. Names and defaults are Keras's.
///
/// ```yaml
/// training:
///   epochs: 40
///   optimizer: {name: adam, learning_rate: 0.001}
///   loss: categorical_crossentropy
///   early_stopping: {monitor: val_loss, patience: 6, restore_best_weights: true}
///   reduce_lr_on_plateau: {monitor: val_loss, factor: 0.5, patience: 3}
///   backup: {save_freq: epoch}
///   distributed: {sync_batch_norm: true}      # under mpirun -np N
/// ```
public struct TrainingSection: Codable, Sendable, Equatable {
    public var epochs: Int
    public var optimizer: OptimizerSpec
    public var loss: String
    public var fromLogits: Bool
    /// Keras's `label_smoothing` of `categorical_crossentropy`, in [0, 1] (default 0).
    public var labelSmoothing: Double
    public var earlyStopping: EarlyStoppingSpec?
    public var reduceLROnPlateau: ReduceLROnPlateauSpec?
    public var schedule: ScheduleSpec?
    /// Monitored metric of the best-weights checkpoint.
    public var checkpointMonitor: String
    public var terminateOnNaN: Bool
    /// 0 silent, 1 progress bar, 2 one line per epoch (Keras's `verbose`).
    public var verbose: Int
    /// Threads of the training kernels (oneDNN/OpenMP): a number, or `auto` (the default:
    /// `OMP_NUM_THREADS` or the CPU budget; see `ThreadPlan`).
    public var threads: ThreadCount?
    /// Model replicas training side by side on threads of their own, each on its share of
    /// every batch: a number, or `auto` (the default: as many as the CPU budget holds with
    /// at least 16 samples each when `threads` is `auto` too; see `ThreadPlan`).
    public var replicas: ThreadCount?
    /// The run's checkpoints (``BackupSpec``; Keras's defaults when absent).
    public var backup: BackupSpec
    /// Bytes the run's buffers may take (`8GB`, `512MiB`, `50%`); default 80% of physical
    /// memory or of the cgroup limit. See `MemoryLimit`.
    public var memoryLimit: MemoryLimit?
    /// How processes under `mpirun -np N` train together (``DistributedSpec``).
    public var distributed: DistributedSpec

    static let losses = ["categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy",
                         "mean_squared_error", "mse"]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case epochs, optimizer, loss
        case fromLogits = "from_logits"
        case labelSmoothing = "label_smoothing"
        case earlyStopping = "early_stopping"
        case reduceLROnPlateau = "reduce_lr_on_plateau"
        case schedule
        case checkpointMonitor = "checkpoint_monitor"
        case terminateOnNaN = "terminate_on_nan"
        case verbose, threads, replicas, backup
        case memoryLimit = "memory_limit"
        case distributed
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        epochs = try c.value(.epochs, default: 10)
        try c.check(epochs >= 1, .epochs, "must be at least 1, got \(epochs)")
        optimizer = try c.value(.optimizer, default: OptimizerSpec())
        loss = try c.word(.loss, in: Self.losses, default: "categorical_crossentropy")
        fromLogits = try c.value(.fromLogits, default: false)
        labelSmoothing = try c.value(.labelSmoothing, default: 0)
        try c.check((0...1).contains(labelSmoothing), .labelSmoothing, "must be in [0, 1], got \(labelSmoothing)")
        try c.check(labelSmoothing == 0 || loss == "categorical_crossentropy", .labelSmoothing,
                    "smooths one-hot targets: it needs loss categorical_crossentropy, not \(loss)")
        earlyStopping = try c.decodeIfPresent(EarlyStoppingSpec.self, forKey: .earlyStopping)
        reduceLROnPlateau = try c.decodeIfPresent(ReduceLROnPlateauSpec.self, forKey: .reduceLROnPlateau)
        schedule = try c.decodeIfPresent(ScheduleSpec.self, forKey: .schedule)
        checkpointMonitor = try c.value(.checkpointMonitor, default: "val_loss")
        terminateOnNaN = try c.value(.terminateOnNaN, default: true)
        verbose = try c.value(.verbose, default: 1)
        try c.check((0...2).contains(verbose), .verbose, "must be 0, 1 or 2, got \(verbose)")
        threads = try c.decodeIfPresent(ThreadCount.self, forKey: .threads)
        replicas = try c.decodeIfPresent(ThreadCount.self, forKey: .replicas)
        backup = try c.value(.backup, default: BackupSpec())
        memoryLimit = try c.decodeIfPresent(MemoryLimit.self, forKey: .memoryLimit)
        distributed = try c.value(.distributed, default: DistributedSpec())
    }

    /// The Training loss this section names.
    public func makeLoss() -> any Loss {
        switch loss {
        case "sparse_categorical_crossentropy": return SparseCategoricalCrossentropy(fromLogits: fromLogits)
        case "binary_crossentropy": return BinaryCrossentropy(fromLogits: fromLogits)
        case "mean_squared_error", "mse": return MeanSquaredError()
        default: return CategoricalCrossentropy(fromLogits: fromLogits, labelSmoothing: Float(labelSmoothing))
        }
    }
}
