/// A linear stack of layers, built for a fixed per-sample input shape, as
/// Keras's `Sequential`.
///
/// ```swift
/// let model = try Sequential(inputShape: [28, 28, 1], seed: 42, layers: [
///     Conv2D(filters: 32, kernelSize: (3, 3), activation: .relu),
///     MaxPooling2D(poolSize: (2, 2)),
///     Flatten(),
///     Dense(units: 10, activation: .softmax),
/// ])
/// model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy(), metrics: [.automatic])
/// print(model.summary())
/// ```
///
/// Weight initialisation of layer `l` derives from `CounterRandom.key([seed, l])`;
/// dropout masks from (seed, layer, step). Layers are shared, not copied:
/// passing another model's layers builds a model on the same weights
/// (transfer learning).
public final class Sequential {
    /// Model name shown by `summary()`.
    public let name: String
    /// Per-sample input shape, e.g. `[28, 28, 1]`.
    public let inputShape: [Int]
    /// The layers, in order.
    public let layers: [any Layer]
    /// Seed of every random choice the model makes.
    public let seed: UInt64
    /// Per-sample output shape.
    public let outputShape: [Int]

    /// How `fit` uses the cores, applied when `fit` starts; nil leaves
    /// ``ComputeThreads`` as it is (its default: all active cores; a caller
    /// such as a workflow may have applied a policy already).
    public var threading: ThreadingPolicy?

    /// Set by callbacks to end `fit` after the current epoch.
    public var stopTraining = false
    /// Optimisation steps taken so far (dropout masks depend on it).
    public internal(set) var step = 0

    public internal(set) var optimizer: (any Optimizer)?
    public internal(set) var loss: (any Loss)?
    public internal(set) var metrics: [Accuracy] = []

    /// The first two layers fused, when they are a ReLU convolution that
    /// ``ConvolutionPooling`` handles and a max pooling.
    private let inputPair: ConvolutionPooling?
    private let inputBuffer = ScratchBuffer()
    private let lossGradient = ScratchBuffer()

    /// Builds every layer in turn and names unnamed ones as Keras does
    /// (`conv2d`, `conv2d_1`...). Throws on an incompatible shape.
    public init(inputShape: [Int], seed: UInt64 = 0, name: String = "sequential", layers: [any Layer]) throws {
        try require(!inputShape.isEmpty && inputShape.allSatisfy { $0 > 0 }, "inputShape", inputShape, "extents must be positive")
        var used = Set(layers.map(\.name).filter { !$0.isEmpty })
        guard used.count == layers.filter({ !$0.name.isEmpty }).count else {
            throw TrainingError.invalidArgument(parameter: "layers", value: layers.map(\.name).description, reason: "layer names must be unique")
        }
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            if layer.name.isEmpty {
                var candidate = layer.defaultNameStem, suffix = 0
                while used.contains(candidate) { suffix += 1; candidate = "\(layer.defaultNameStem)_\(suffix)" }
                layer.name = candidate
                used.insert(candidate)
            }
            shape = try layer.build(inputShape: shape, seed: CounterRandom.key([seed, UInt64(index)]))
        }
        self.name = name
        self.inputShape = inputShape
        self.layers = layers
        self.seed = seed
        self.outputShape = shape
        if layers.count >= 2, let conv = layers[0] as? Conv2D, let pool = layers[1] as? MaxPooling2D {
            inputPair = ConvolutionPooling(conv, pool)
        } else {
            inputPair = nil
        }
    }

    /// Chooses the optimiser, loss and metrics used by `fit` and `evaluate`.
    public func compile(optimizer: any Optimizer, loss: any Loss, metrics: [Accuracy] = []) {
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics.map { $0.resolved(for: loss) }
        self.metricNames = metrics.map { Sequential.logName(of: $0) }
    }

    /// Log keys of the compiled metrics (`accuracy`, `categorical_accuracy`...).
    public private(set) var metricNames: [String] = []

    /// Every parameter of every layer, in layer order.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// Parameters the optimiser updates (trainable layers, trainable weights).
    public var trainableParameters: [Parameter] {
        layers.filter(\.trainable).flatMap { $0.parameters.filter(\.isTrainable) }
    }

    /// Elements of one output sample.
    public var outputWidth: Int { outputShape.reduce(1, *) }
    var inputSize: Int { inputShape.reduce(1, *) }

    /// Runs the layers on `batch` samples copied from `inputs`.
    func forward(_ inputs: Tensor, training: Bool) throws -> (output: UnsafePointer<Float>, batch: Int) {
        guard Array(inputs.shape.dropFirst()) == inputShape else {
            throw TrainingError.badBatch(reason: "input shape \(inputs.shape) does not match the model's (N) + \(inputShape)")
        }
        let batch = inputs.shape[0]
        let x = inputBuffer.reserve(inputs.count)
        x.update(from: inputs.storage, count: inputs.count)
        var current = UnsafePointer(x)
        var index = 0
        if let inputPair {
            current = inputPair.forward(current, batch: batch, training: training)
            index = 2
        }
        while index < layers.count {
            let context = ForwardContext(training: training, seed: seed, step: step, layerIndex: index)
            current = layers[index].forward(current, batch: batch, context: context)
            index += 1
        }
        return (current, batch)
    }

    /// Back-propagates d(loss)/d(output), or d(loss)/d(logits) of a
    /// ``LogitsOutput`` head when `head` is given, stopping below the lowest
    /// layer with trainable weights (frozen bases cost no backward work).
    func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, throughLogitsOf head: (any LogitsOutput)? = nil) {
        guard let lowest = layers.firstIndex(where: { $0.trainable && $0.parameters.contains(where: \.isTrainable) })
        else { return }
        var grad = gradOutput
        var index = layers.count - 1
        while index >= lowest {
            let next: UnsafePointer<Float>?
            if index == layers.count - 1, let head {
                next = head.backward(logitsGradient: grad, batch: batch, needsInputGradient: index > lowest)
                index -= 1
            } else if index == 1, let inputPair {
                inputPair.backward(grad, batch: batch)
                return
            } else if index > lowest, let pool = layers[index] as? MaxPooling2D,
               let conv = layers[index - 1] as? Conv2D, conv.activation == .relu {
                // Fused: the pooling routes the gradient only to maxima > 0,
                // which is the convolution's ReLU backward pass.
                next = pool.backward(grad, batch: batch, throughReLU: true).flatMap {
                    conv.backward(preActivationGradient: $0, batch: batch, needsInputGradient: index - 1 > lowest)
                }
                index -= 2
            } else {
                next = layers[index].backward(grad, batch: batch, needsInputGradient: index > lowest)
                index -= 1
            }
            guard let next else { return }
            grad = next
        }
    }

    /// Model outputs for `inputs` (N × inputShape) in inference mode, `batchSize`
    /// samples at a time; each batch runs in ``inferenceSubBatch(for:)``-sized
    /// forward passes so that activations stay in cache between layers.
    public func predict(_ inputs: Tensor, batchSize: Int = 32) throws -> Tensor {
        try require(batchSize >= 1, "batchSize", batchSize, "must be at least 1")
        let count = inputs.shape.first ?? 0
        let step = inferenceSubBatch(for: batchSize)
        var result = [Float]()
        result.reserveCapacity(count * outputWidth)
        for start in stride(from: 0, to: count, by: step) {
            let chunk = inputs.slicing(start..<min(start + step, count))
            let (output, batch) = try forward(chunk, training: false)
            result.append(contentsOf: UnsafeBufferPointer(start: output, count: batch * outputWidth))
        }
        return Tensor(shape: [count] + outputShape, storage: result)
    }

    /// Bytes one layer's output may take in an inference forward pass: what the
    /// next layer can still read from cache. Measured at batch 256 on the course
    /// models (2-core Zen 3, 512 KB L2 per core, 32 MB L3): sub-batches of 64
    /// (small model, 5.5 MB) and 32 (large model, 3.2 MB) ran 7–12 % faster than
    /// whole batches.
    static let inferenceWorkingSet = 6 << 20

    /// `batchSize` when the widest activation of that many samples fits
    /// ``inferenceWorkingSet``, else the largest power of two that fits (at
    /// least 1). Inference is per sample, so splitting changes no result beyond
    /// the last bits of oneDNN's blocking.
    func inferenceSubBatch(for batchSize: Int) -> Int {
        let widest = layers.map { $0.outputShape.reduce(1, *) }.max() ?? 1
        let fitting = max(1, Self.inferenceWorkingSet / (widest * MemoryLayout<Float>.stride))
        var size = 1
        while size * 2 <= min(batchSize, fitting) { size *= 2 }
        return batchSize <= fitting ? batchSize : size
    }

    /// One optimisation step on `batch`: forward, loss, backward, update.
    /// Returns the batch's mean loss and each metric's correct count.
    @discardableResult
    public func trainStep(_ batch: Batch) throws -> StepResult {
        guard let optimizer else { throw TrainingError.notCompiled }
        let result = try lossAndMetrics(batch, training: true) { gradient, samples, head in
            self.backward(gradient, batch: samples, throughLogitsOf: head)
        }
        optimizer.update(trainableParameters)
        step += 1
        return result
    }

    /// Forward pass, loss (and its gradient when `backward` is given) and
    /// metrics. `backward` gets the gradient, the batch size and the head
    /// whose logits the gradient is of (nil: the gradient is of the output).
    func lossAndMetrics(_ batch: Batch, training: Bool,
                        backward: ((UnsafePointer<Float>, Int, (any LogitsOutput)?) -> Void)? = nil) throws -> StepResult {
        guard let loss else { throw TrainingError.notCompiled }
        let (output, samples) = try forward(batch.inputs, training: training)
        let targetWidth = loss.targetWidth(outputWidth: outputWidth)
        guard batch.targets.count == samples * targetWidth, batch.targets.shape.first == samples else {
            throw TrainingError.badBatch(reason: "targets of shape \(batch.targets.shape) do not fit \(samples) samples × \(targetWidth) for \(loss.name)")
        }
        if loss is SparseCategoricalCrossentropy {
            try SparseCategoricalCrossentropy.checkLabels(batch.targets, classes: outputWidth)
        }
        if let weights = batch.sampleWeights, weights.count != samples {
            throw TrainingError.badBatch(reason: "\(weights.count) sample weights for \(samples) samples")
        }
        // Keras's cross-entropy after a softmax or sigmoid head works on the logits.
        let head = layers.last as? any LogitsOutput
        let logitsLoss = head.flatMap { loss.logitsForm(after: $0.outputActivation) }
        let lossInput = logitsLoss == nil ? output : head!.logits
        let gradient = backward == nil ? nil : lossGradient.reserve(samples * outputWidth)
        let value = batch.targets.storage.withUnsafeBufferPointer { targets in
            let weights = batch.sampleWeights?.storage
            return weights.withUnsafeOptionalPointer { w in
                (logitsLoss ?? loss).batchLoss(predictions: lossInput, targets: targets.baseAddress!, weights: w,
                                               batch: samples, width: outputWidth, gradient: gradient)
            }
        }
        let correct = batch.targets.storage.withUnsafeBufferPointer { targets in
            metrics.map { $0.correctCount(predictions: output, targets: targets.baseAddress!, batch: samples, width: outputWidth) }
        }
        if let backward, let gradient { backward(UnsafePointer(gradient), samples, logitsLoss == nil ? nil : head) }
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
