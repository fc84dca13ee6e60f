/// A graph of layers with inputs and outputs: Keras's Functional `Model`.
///
/// ```swift
/// let input = try Input(shape: [28, 28, 1], seed: 1)
/// let x = try Conv2D(filters: 16, kernelSize: (3, 3), padding: .same, activation: .relu)(input)
/// let y = try Conv2D(filters: 16, kernelSize: (3, 3), padding: .same)(x)
/// let merged = try Activation(.relu)(try Add()([x, y]))           // a residual connection
/// let output = try Dense(units: 10, activation: .softmax)(try GlobalAveragePooling2D()(merged))
/// let model = try Model(inputs: input, outputs: output)
/// model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy(), metrics: [.automatic])
/// print(model.summary())
/// ```
///
/// A model with one input and one output is itself a layer: call it on a
/// symbolic tensor, or put it in a ``Sequential``, and it runs on the same
/// weights (transfer learning). Setting ``trainable`` sets it on every layer
/// inside, as in Keras (frozen batch normalisation then runs in inference mode).
///
/// Weights of layer `name` are initialised from `CounterRandom.key([seed, streamKey(name)])`
/// (see ``GraphBuilder``); dropout masks from the node, the epoch and the
/// sample's position in the epoch (see ``ForwardContext``).
public class Model: UnaryLayer {
    /// `Functional` or `Sequential`, as `summary()` shows it when nested.
    public let typeName: String
    /// Model name shown by `summary()`.
    public var name: String
    /// Seed of the graph the model was built in.
    public let seed: UInt64
    /// Setting it sets every layer's `trainable` (recursively), as Keras does.
    public var trainable = true {
        didSet { for layer in layers { layer.trainable = trainable } }
    }

    let graph: Graph
    let runner: GraphRunner
    private lazy var inputBuffers = graph.inputs.map { _ in ScratchBuffer() }
    /// The activations of inference passes (``ActivationArena``).
    let arena = ActivationArena()

    /// How `fit` uses the cores, applied when `fit` starts; nil leaves
    /// `ComputeThreads` as it is.
    public var threading: ThreadingPolicy?
    /// The training step set up by ``compile(optimizer:loss:metrics:)``.
    public internal(set) var trainer: Trainer?

    /// The model computing `outputs` from `inputs`. Throws when an output
    /// depends on a graph input that is not listed, or inputs and outputs
    /// come from different graphs.
    public convenience init(inputs: [SymbolicTensor], outputs: [SymbolicTensor], name: String = "functional") throws {
        try self.init(graph: Graph(inputs: inputs, outputs: outputs), seed: inputs.first?.graph.seed ?? 0,
                      name: name, typeName: "Functional")
    }

    /// A model of one input and one output.
    public convenience init(inputs: SymbolicTensor, outputs: SymbolicTensor, name: String = "functional") throws {
        try self.init(inputs: [inputs], outputs: [outputs], name: name)
    }

    init(graph: Graph, seed: UInt64, name: String, typeName: String) {
        self.graph = graph
        self.seed = seed
        self.name = name
        self.typeName = typeName
        runner = GraphRunner(graph: graph)
    }

    /// The layers in topological order (inputs are not layers).
    public var layers: [any Layer] { graph.layers }
    /// Per-sample shapes of the inputs and outputs.
    public var inputShapes: [[Int]] { graph.inputs.map { graph.nodes[$0].shape } }
    public var outputShapes: [[Int]] { graph.outputs.map { graph.nodes[$0].shape } }
    /// The first input's per-sample shape, e.g. `[28, 28, 1]`.
    public var inputShape: [Int] { inputShapes[0] }
    /// The first output's per-sample shape.
    public var outputShape: [Int] { outputShapes[0] }
    /// Elements of one sample of the first output.
    public var outputWidth: Int { outputShape.reduce(1, *) }

    /// Every parameter of every layer, in layer order.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    /// Parameters the optimiser updates.
    public var trainableParameters: [Parameter] { trainable ? layers.flatMap(\.trainableParameters) : [] }

    // MARK: The model as a layer of another model

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard graph.inputs.count == 1, graph.outputs.count == 1 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape,
                                                  reason: "only a model of one input and one output can be used as a layer")
        }
        guard inputShape == self.inputShape else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "the model takes \(self.inputShape)")
        }
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        runner.forward([input], batch: batch, context: context,
                       inputsNeedGradient: context.training && context.needsInputGradient)[0]
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let gradients = runner.backward([gradOutput], batch: batch)
        precondition(!needsInputGradient || gradients[0] != nil,
                     "\(name): the input's gradient was asked for, but the forward pass's context did not say so")
        return gradients[0]
    }

    // MARK: Running the model on tensors

    /// Throws unless `inputs` are one tensor per model input, of the model's
    /// per-sample shapes and one batch size.
    func checkInputs(_ inputs: [Tensor]) throws {
        guard inputs.count == graph.inputs.count else {
            throw TrainingError.badBatch(reason: "\(inputs.count) input tensors for a model of \(graph.inputs.count) inputs")
        }
        let batch = inputs[0].shape.first ?? 0
        for (index, (tensor, shape)) in zip(inputs, inputShapes).enumerated() {
            guard Array(tensor.shape.dropFirst()) == shape, tensor.shape.first == batch else {
                throw TrainingError.badBatch(reason: "input \(index) has shape \(tensor.shape), the model takes (\(batch)) + \(shape)")
            }
        }
    }

    /// Runs the graph on `inputs` (one tensor per model input, batch first),
    /// or on their samples `rows`, copied into the model's input buffers.
    func forward(_ inputs: [Tensor], rows: Range<Int>? = nil,
                 context: ForwardContext) throws -> (outputs: [UnsafePointer<Float>], batch: Int) {
        try checkInputs(inputs)
        let samples = inputs[0].shape.first ?? 0
        let rows = rows ?? 0..<samples
        let batch = rows.count
        var pointers = [UnsafePointer<Float>]()
        for (index, tensor) in inputs.enumerated() {
            let width = samples > 0 ? tensor.count / samples : 0
            let buffer = inputBuffers[index].reserve(batch * width)
            tensor.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + rows.lowerBound * width, count: batch * width) }
            pointers.append(UnsafePointer(buffer))
        }
        var context = context
        if !context.training {
            arena.reset()
            context.arena = arena
        }
        return (runner.forward(pointers, batch: batch, context: context, inputsNeedGradient: false), batch)
    }

    /// Back-propagates d(loss)/d(output) of the last ``forward(_:context:)``
    /// (d(loss)/d(logits) when `throughLogits`) into every parameter gradient.
    /// `parametersReady` hears each layer's trainable parameters as soon as
    /// their gradients are final (after the layer's last node in backward order).
    func backward(_ gradient: UnsafePointer<Float>, batch: Int, throughLogits: Bool,
                  parametersReady: (([Parameter]) -> Void)? = nil) {
        guard let parametersReady, trainable else {
            runner.backward([gradient], batch: batch, throughLogits: throughLogits)
            return
        }
        let finalNodes = lastBackwardNodes
        runner.backward([gradient], batch: batch, throughLogits: throughLogits) { node in
            guard finalNodes.contains(node), let layer = self.graph.nodes[node].layer else { return }
            let parameters = layer.trainableParameters
            if !parameters.isEmpty { parametersReady(parameters) }
        }
    }

    /// The nodes after whose backward their layer's gradients are final: for
    /// each layer, its first node (a layer called twice gets gradients from both).
    private var lastBackwardNodes: Set<Int> {
        var seen = Set<ObjectIdentifier>(), nodes = Set<Int>()
        for (index, node) in graph.nodes.enumerated() {
            guard let layer = node.layer, seen.insert(ObjectIdentifier(layer)).inserted else { continue }
            nodes.insert(index)
        }
        return nodes
    }

    /// The layer producing the first output, whose logits a cross-entropy
    /// loss may read (see ``LogitsOutput``).
    /// A shared layer's state is its last call's, so a shared output layer is no such head.
    var head: (any LogitsOutput)? {
        graph.sharedNodes.contains(graph.outputs[0]) ? nil : graph.nodes[graph.outputs[0]].layer as? any LogitsOutput
    }

    /// Outputs for `inputs` (N × inputShape) in inference mode, `batchSize`
    /// samples at a time; each batch runs in `inferenceSubBatch(for:)`-sized
    /// forward passes so that activations stay in cache between layers.
    public func predict(_ inputs: Tensor, batchSize: Int = 32) throws -> Tensor {
        try predict([inputs], batchSize: batchSize)[0]
    }

    /// Outputs of a model of several inputs or outputs: one tensor per output.
    public func predict(_ inputs: [Tensor], batchSize: Int = 32) throws -> [Tensor] {
        try require(batchSize >= 1, "batchSize", batchSize, "must be at least 1")
        let count = inputs.first?.shape.first ?? 0
        let step = inferenceSubBatch(for: batchSize)
        let widths = outputShapes.map { $0.reduce(1, *) }
        var results = widths.map { width -> [Float] in
            var values = [Float]()
            values.reserveCapacity(count * width)
            return values
        }
        for start in stride(from: 0, to: count, by: step) {
            var context = ForwardContext(training: false, seed: seed)
            context.foldsAreCurrent = start > 0
            let (outputs, batch) = try forward(inputs, rows: start..<min(start + step, count), context: context)
            for (index, output) in outputs.enumerated() {
                results[index].append(contentsOf: UnsafeBufferPointer(start: output, count: batch * widths[index]))
            }
        }
        return zip(results, outputShapes).map { Tensor(shape: [count] + $1, scalars: $0) }
    }

    /// Bytes one layer's output may take in an inference forward pass: what the
    /// next layer can still read from cache. Measured at batch 256 on the course
    /// models (2-core Zen 3, 512 KB L2 per core, 32 MB L3): sub-batches of 64
    /// (small model, 5.5 MB) and 32 (large model, 3.2 MB) ran 7–12 % faster than
    /// whole batches.
    static let inferenceWorkingSet = 6 << 20

    /// Bytes of weights that stay in cache beside a sub-batch's activations
    /// from one sub-batch to the next (half the 32 MB L3 of the machine above).
    static let inferenceWeightSet = 16 << 20

    /// Bytes one layer's output may take in an inference forward pass of a
    /// model whose weights exceed ``inferenceWeightSet``. Such a model streams
    /// its weights from memory once per sub-batch, so its sub-batches are large
    /// (ResNet50: 100 MB of weights, 3.2 MB of its widest activation per sample,
    /// sub-batches of 16): at 224×224, batch 32, 2 threads, it predicted 30.3–30.6
    /// images/s in sub-batches of 16 against 30.8 whole, at a peak of 592 MB
    /// against 787 MB; in sub-batches of 8, 28.7 (494 MB); of 1, 22.8.
    static let inferenceStreamingSet = 64 << 20

    /// `batchSize` when the widest activation of that many samples fits
    /// ``inferenceWorkingSet`` (``inferenceStreamingSet`` for a model whose
    /// weights exceed ``inferenceWeightSet``), else the largest power of two
    /// that fits (at least 1). Inference is per sample, so splitting changes no
    /// result beyond the last bits of oneDNN's blocking. With kernels reordered
    /// once per `predict`, MobileNetV2 (14 MB of weights) predicted 175
    /// images/s whole and 205 in sub-batches of 1 (its 112×112×96 activations
    /// are 154 MB at batch 32).
    func inferenceSubBatch(for batchSize: Int) -> Int {
        let weights = parameters.reduce(0) { $0 + $1.count } * MemoryLayout<Float>.stride
        let budget = weights > Self.inferenceWeightSet ? Self.inferenceStreamingSet : Self.inferenceWorkingSet
        let widest = graph.nodes.map { $0.shape.reduce(1, *) }.max() ?? 1
        let fitting = max(1, budget / (widest * MemoryLayout<Float>.stride))
        var size = 1
        while size * 2 <= min(batchSize, fitting) { size *= 2 }
        return batchSize <= fitting ? batchSize : size
    }
}
