/// One optimisation step, and the loss and metrics of a batch, for a compiled ``Model``.
///
/// A step zeroes the gradients, runs the forward pass, the loss and its
/// gradient, agrees with the other processes that all can go on (a no-op
/// for one process), runs the backward pass, reduces the gradients through
/// ``reducer`` and lets the optimiser update the parameters.
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
    /// epoch `epoch`'s order. Returns the batch's mean loss and each metric's
    /// correct count. With a reducer spanning several processes, every
    /// process must call it (with its share of the global batch) in step.
    @discardableResult
    public func trainStep(_ batch: Batch, epoch: Int = 0, sampleOffset: Int = 0) throws -> StepResult {
        switch try collectiveStep(batch, epoch: epoch, sampleOffset: sampleOffset) {
        case let .trained(result): return result
        case .ended, .stopped: throw TrainingError.processesStopped(ranks: [], processCount: reducer.processCount)
        }
    }

    /// What ``collectiveStep(_:epoch:sampleOffset:stopRequested:)`` did.
    enum StepOutcome {
        /// Every process trained on its batch.
        case trained(StepResult)
        /// This process had no batch: the epoch ended everywhere (`everywhere`)
        /// or only here (a loader that failed, or fewer batches than the others).
        case ended(everywhere: Bool)
        /// A process asked to stop (``TrainingContext/stopTraining``); nothing was trained.
        case stopped
    }

    /// One collective step: a ``StepAgreement`` of all processes on their
    /// batches (this one's is nil when its epoch has ended, or fails its
    /// checks), then, when every process has a batch, the forward pass and
    /// loss, the backward pass scaled to the global batch, the reduction and
    /// the update. A failure of any process is thrown on every process, so
    /// none waits for the others. Synchronised batch normalisation sums its
    /// statistics over processes during the passes (``BatchStatisticsSync``).
    func collectiveStep(_ batch: Batch?, epoch: Int, sampleOffset: Int, stopRequested: Bool = false) throws -> StepOutcome {
        let parameters = model.trainableParameters
        for parameter in parameters { parameter.gradient.zero(parameter.count) }
        var failure: (any Error)?
        if let batch, !stopRequested {
            do { try check(batch) } catch { failure = error }
        }
        let status: StepAgreement.Status = failure != nil ? .failed : batch == nil ? .exhausted : .ready
        let agreement = try StepAgreement.reach(status, samples: stopRequested ? 0 : batch?.count ?? 0,
                                                stop: stopRequested, over: reducer)
        if let failure { throw failure }
        if !agreement.failed.isEmpty {
            throw TrainingError.processesStopped(ranks: agreement.failed, processCount: reducer.processCount)
        }
        if agreement.stop { return .stopped }
        guard let batch else { return .ended(everywhere: agreement.exhausted.count == reducer.processCount) }
        if !agreement.exhausted.isEmpty {
            throw TrainingError.processesStopped(ranks: agreement.exhausted, processCount: reducer.processCount)
        }
        var context = ForwardContext(training: true, seed: model.seed, epoch: epoch, sampleOffset: sampleOffset)
        if reducer.processCount > 1, agreement.samples > 0, model.hasSynchronizedBatchStatistics {
            context.batchStatistics = BatchStatisticsSync(reducer: reducer, contributes: batch.count > 0)
        }
        let result = try forwardAndLoss(batch, context: context, gradient: true)
        let passed = result.samples == 0 && context.batchStatistics != nil
            ? try placeholderForward(context: context) : result.samples
        try context.batchStatistics?.check()
        if passed > 0 {
            scaleLossGradient(samples: result.samples, of: agreement.samples)
            backward(samples: passed, parametersReady: reducer.processCount > 1 ? reducer.gradientsReady : nil)
            try context.batchStatistics?.check()
        }
        try reducer.reduce(parameters)
        optimizer.update(parameters)
        self.step += 1
        return .trained(result)
    }

    /// The forward pass of one sample of zeros, for a process whose share of
    /// a global batch is empty while synchronised layers sum over every
    /// process (its ``BatchStatisticsSync`` contributes zeros), with a zero
    /// loss gradient. Returns the samples passed (1).
    private func placeholderForward(context: ForwardContext) throws -> Int {
        let inputs = model.inputShapes.map { Tensor(shape: [1] + $0, scalars: .init(repeating: 0, count: $0.reduce(1, *))) }
        _ = try model.forward(inputs, context: context)
        lossGradient.reserve(model.outputWidth).update(repeating: 0, count: model.outputWidth)
        return 1
    }

    /// Scales the loss gradient of this process's `samples` to their share
    /// of the `global` batch's mean loss.
    private func scaleLossGradient(samples: Int, of global: Int) {
        guard samples > 0, samples != global else { return }
        let share = Float(samples) / Float(global), gradient = lossGradient.pointer
        for index in 0..<(samples * model.outputWidth) { gradient[index] *= share }
    }

    /// The loss and metrics of `batch` in inference mode.
    func evaluate(_ batch: Batch) throws -> StepResult {
        try forwardAndLoss(batch, context: ForwardContext(training: false, seed: model.seed), gradient: false)
    }

    /// The cross-entropy that works on the head's logits, when the loss
    /// follows a softmax or sigmoid head (as Keras does).
    private var logitsLoss: (any Loss)? { logitsForm(of: loss) }

    private func logitsForm(of loss: any Loss) -> (any Loss)? {
        model.head.flatMap { loss.logitsForm(after: $0.outputActivation) }
    }

    /// The loss and metrics of a batch with `targets`: a sparse cross-entropy given soft targets
    /// (``SparseCategoricalCrossentropy/areSoft(_:samples:classes:)``) becomes its
    /// ``SparseCategoricalCrossentropy/softForm``, and sparse accuracy categorical accuracy
    /// (argmax of the target, as Keras's `categorical_accuracy`).
    private func resolved(for targets: Tensor, samples: Int, width: Int) -> (loss: any Loss, metrics: [Accuracy]) {
        guard let sparse = loss as? SparseCategoricalCrossentropy,
              SparseCategoricalCrossentropy.areSoft(targets, samples: samples, classes: width) else { return (loss, metrics) }
        return (sparse.softForm, metrics.map { $0 == .sparseCategorical ? .categorical : $0 })
    }

    /// Forward pass, loss (and with `backward`, its gradient back-propagated) and metrics.
    func lossAndMetrics(_ batch: Batch, context: ForwardContext, backward: Bool) throws -> StepResult {
        let result = try forwardAndLoss(batch, context: context, gradient: backward)
        if backward, result.samples > 0 { self.backward(samples: result.samples, parametersReady: nil) }
        return result
    }

    /// Back-propagates the gradient that ``forwardAndLoss(_:context:gradient:)`` left.
    private func backward(samples: Int, parametersReady: (([Parameter]) -> Void)?) {
        model.backward(UnsafePointer(lossGradient.pointer), batch: samples, throughLogits: logitsLoss != nil,
                       parametersReady: parametersReady)
    }

    /// Throws when `batch` does not fit the model and loss (its inputs'
    /// shapes, its targets, sample weights and labels): everything that
    /// could stop ``forwardAndLoss(_:context:gradient:)`` is checked before
    /// the passes start, so processes can agree on it first.
    func check(_ batch: Batch) throws {
        guard model.graph.outputs.count == 1 else {
            throw TrainingError.badBatch(reason: "fit and evaluate take models of one output; this one has \(model.graph.outputs.count)")
        }
        guard batch.count > 0 else { return }
        try model.checkInputs([batch.inputs])
        let samples = batch.count, width = model.outputWidth
        let (loss, _) = resolved(for: batch.targets, samples: samples, width: width)
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
    }

    /// Forward pass, loss and metrics; with `gradient`, d(loss)/d(output) (or
    /// d(loss)/d(logits)) of the batch's mean loss is left in `lossGradient`
    /// for the backward pass. An empty batch gives zeros and no pass.
    func forwardAndLoss(_ batch: Batch, context: ForwardContext, gradient wantsGradient: Bool) throws -> StepResult {
        try check(batch)
        guard batch.count > 0 else { return StepResult(loss: 0, correct: metrics.map { _ in 0 }, samples: 0) }
        let (outputs, samples) = try model.forward([batch.inputs], context: context)
        let output = outputs[0], width = model.outputWidth
        let (loss, metrics) = resolved(for: batch.targets, samples: samples, width: width)
        let logitsLoss = logitsForm(of: loss)
        let lossInput = logitsLoss == nil ? output : model.head!.logits
        let gradient = wantsGradient ? lossGradient.reserve(samples * width) : nil
        let value = batch.targets.withUnsafeBufferPointer { targets in
            batch.sampleWeights.withUnsafeOptionalPointer { w in
                (logitsLoss ?? loss).batchLoss(predictions: lossInput, targets: targets.baseAddress!, weights: w,
                                               batch: samples, width: width, gradient: gradient)
            }
        }
        let correct = batch.targets.withUnsafeBufferPointer { targets in
            metrics.map { $0.correctCount(predictions: output, targets: targets.baseAddress!, batch: samples, width: width) }
        }
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

extension Optional where Wrapped == Tensor {
    /// Calls `body` with the tensor's elements, or nil.
    func withUnsafeOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .none: return body(nil)
        case let .some(tensor): return tensor.withUnsafeBufferPointer { body($0.baseAddress) }
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
