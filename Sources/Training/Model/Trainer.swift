/// One optimisation step, and the loss and metrics of a batch, for a compiled ``Model``.
///
/// A step zeroes the gradients, runs the forward pass, the loss and its
/// gradient, the backward pass, reduces the gradients through ``reducer``
/// (a no-op for one process) and lets the optimiser update the parameters.
public final class Trainer {
    /// The model it trains (the model owns its trainer).
    public unowned let model: Model
    public let optimizer: any Optimizer
    public let loss: any Loss
    /// Metrics, resolved for the loss (``Accuracy/automatic`` becomes the matching kind).
    public let metrics: [Accuracy]
    /// Log keys of the metrics (`accuracy`, `categorical_accuracy`...).
    public let metricNames: [String]
    /// Where gradients are combined across processes before each update.
    public var reducer: any GradientReducer = LocalGradientReducer()
    /// Whether this process writes the run's checkpoints: the first process
    /// (rank 0) of a data-parallel run, the only one otherwise. Every process restores.
    public var isCheckpointWriter: Bool { reducer.rank == 0 }
    /// Optimisation steps taken so far.
    public internal(set) var step = 0

    init(model: Model, optimizer: any Optimizer, loss: any Loss, metrics: [Accuracy]) {
        self.model = model
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics.map { $0.resolved(for: loss) }
        metricNames = metrics.map(Trainer.logName)
    }

    private let lossGradient = ScratchBuffer()

    /// One step on `batch`, whose first sample sits at `sampleOffset` in
    /// epoch `epoch`'s order. Returns the batch's mean loss and each metric's correct count.
    @discardableResult
    public func trainStep(_ batch: Batch, epoch: Int = 0, sampleOffset: Int = 0) throws -> StepResult {
        let parameters = model.trainableParameters
        for parameter in parameters { parameter.gradient.zero(parameter.count) }
        let context = ForwardContext(training: true, seed: model.seed, epoch: epoch, sampleOffset: sampleOffset)
        let result = try lossAndMetrics(batch, context: context, backward: true)
        try reducer.reduce(parameters, localBatch: batch.count)
        optimizer.update(parameters)
        step += 1
        return result
    }

    /// The loss and metrics of `batch` in inference mode.
    func evaluate(_ batch: Batch) throws -> StepResult {
        try lossAndMetrics(batch, context: ForwardContext(training: false, seed: model.seed), backward: false)
    }

    /// Forward pass, loss (and with `backward`, its gradient back-propagated) and metrics.
    func lossAndMetrics(_ batch: Batch, context: ForwardContext, backward: Bool) throws -> StepResult {
        guard model.graph.outputs.count == 1 else {
            throw TrainingError.badBatch(reason: "fit and evaluate take models of one output; this one has \(model.graph.outputs.count)")
        }
        let (outputs, samples) = try model.forward([batch.inputs], context: context)
        let output = outputs[0], width = model.outputWidth
        let targetWidth = loss.targetWidth(outputWidth: width)
        guard batch.targets.count == samples * targetWidth, batch.targets.shape.first == samples else {
            throw TrainingError.badBatch(reason: "targets of shape \(batch.targets.shape) do not fit \(samples) samples × \(targetWidth) for \(loss.name)")
        }
        if loss is SparseCategoricalCrossentropy {
            try SparseCategoricalCrossentropy.checkLabels(batch.targets, classes: width)
        }
        if let weights = batch.sampleWeights, weights.count != samples {
            throw TrainingError.badBatch(reason: "\(weights.count) sample weights for \(samples) samples")
        }
        // Keras's cross-entropy after a softmax or sigmoid head works on the logits.
        let head = model.head
        let logitsLoss = head.flatMap { loss.logitsForm(after: $0.outputActivation) }
        let lossInput = logitsLoss == nil ? output : head!.logits
        let gradient = backward ? lossGradient.reserve(samples * width) : nil
        let value = batch.targets.storage.withUnsafeBufferPointer { targets in
            (batch.sampleWeights?.storage).withUnsafeOptionalPointer { w in
                (logitsLoss ?? loss).batchLoss(predictions: lossInput, targets: targets.baseAddress!, weights: w,
                                               batch: samples, width: width, gradient: gradient)
            }
        }
        let correct = batch.targets.storage.withUnsafeBufferPointer { targets in
            metrics.map { $0.correctCount(predictions: output, targets: targets.baseAddress!, batch: samples, width: width) }
        }
        if let gradient { model.backward(UnsafePointer(gradient), batch: samples, throughLogits: logitsLoss != nil) }
        return StepResult(loss: value, correct: correct, samples: samples)
    }

    static func logName(of metric: Accuracy) -> String {
        switch metric {
        case .automatic: "accuracy"
        case .categorical: "categorical_accuracy"
        case .sparseCategorical: "sparse_categorical_accuracy"
        case .binary: "binary_accuracy"
        }
    }
}

/// The outcome of one batch: its mean loss and each metric's correct count.
public struct StepResult: Sendable, Equatable {
    public var loss: Double
    public var correct: [Double]
    public var samples: Int
}

extension Optional where Wrapped == [Float] {
    /// Calls `body` with the array's base address, or nil.
    func withUnsafeOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .none: return body(nil)
        case let .some(array): return array.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}

extension Model {
    /// Chooses the optimiser, loss and metrics used by `fit` and `evaluate`
    /// (a new ``Trainer``; its step count starts at 0).
    public func compile(optimizer: any Optimizer, loss: any Loss, metrics: [Accuracy] = []) {
        trainer = Trainer(model: self, optimizer: optimizer, loss: loss, metrics: metrics)
    }

    /// The compiled optimiser, loss and metric names (nil or empty before `compile`).
    public var optimizer: (any Optimizer)? { trainer?.optimizer }
    public var loss: (any Loss)? { trainer?.loss }
    public var metricNames: [String] { trainer?.metricNames ?? [] }

    /// One optimisation step on `batch` (see ``Trainer/trainStep(_:epoch:sampleOffset:)``).
    @discardableResult
    public func trainStep(_ batch: Batch, epoch: Int = 0, sampleOffset: Int = 0) throws -> StepResult {
        guard let trainer else { throw TrainingError.notCompiled }
        return try trainer.trainStep(batch, epoch: epoch, sampleOffset: sampleOffset)
    }
}
