/// A node's operation in a ``Model`` graph, working on NHWC (or N×features)
/// batches: its forward pass and its backward pass in one place.
///
/// Layers are classes: they own their parameters and the scratch buffers of
/// their outputs and gradients, sized on first use and reused afterwards.
/// The pointer a layer returns from ``forward(_:batch:context:)`` or
/// ``backward(_:batch:needsInputGradients:)`` stays valid until its next call;
/// a layer may keep its input pointers for the backward pass, because the
/// model keeps the producing layers' buffers alive. A layer object called
/// twice in a graph (a shared layer) is still one state: the graph runner
/// copies each call's output and re-runs a call's forward pass before its
/// backward pass when needed (``GraphBuilder``).
///
/// Most layers take one input and conform to ``UnaryLayer``; merging layers
/// (``Add``, ``Concatenate``...) take several.
public protocol Layer: AnyObject {
    /// Keras class name shown by `summary()` (`Conv2D`, `Dense`...).
    var typeName: String { get }
    /// Unique name within the model (`conv2d`, `conv2d_1`...); empty until
    /// a model or a graph call names it.
    var name: String { get set }
    /// When false the optimiser leaves the layer's parameters alone (and
    /// batch normalisation runs in inference mode, as in Keras).
    var trainable: Bool { get set }
    /// Weights in Keras order; empty before ``build(inputShapes:seed:)``.
    var parameters: [Parameter] { get }
    /// The parameters the optimiser updates: ``parameters`` that are
    /// trainable, when the layer is. A nested ``Model`` answers for its layers.
    var trainableParameters: [Parameter] { get }
    /// Per-sample output shape; empty before ``build(inputShapes:seed:)``.
    var outputShape: [Int] { get }

    /// Creates the parameters for per-sample input shapes (no batch axis),
    /// initialised from `seed`, and returns the output shape. Building an
    /// already built layer for the same shapes keeps its weights.
    func build(inputShapes: [[Int]], seed: UInt64) throws -> [Int]

    /// Computes the outputs of `batch` samples from one pointer per input.
    /// - Complexity: linear in the batch; GEMM-bound for Conv2D and Dense.
    func forward(_ inputs: [UnsafePointer<Float>], batch: Int, context: ForwardContext) -> UnsafePointer<Float>

    /// Given d(loss)/d(output) of the last forward pass, stores the parameter
    /// gradients and returns d(loss)/d(input) for each input whose flag in
    /// `needsInputGradients` is set (nil for the others).
    func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradients: [Bool]) -> [UnsafePointer<Float>?]
}

/// A layer of one input, as every layer of a ``Sequential`` model.
///
/// Conformers implement the single-input forms; the graph forms of ``Layer``
/// come from them.
public protocol UnaryLayer: Layer {
    /// Creates the parameters for a per-sample input shape and returns the output shape.
    func build(inputShape: [Int], seed: UInt64) throws -> [Int]
    /// Computes the outputs of `batch` samples.
    func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float>
    /// Stores the parameter gradients and returns d(loss)/d(input) (nil when not asked for).
    func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>?
}

extension UnaryLayer {
    public func build(inputShapes: [[Int]], seed: UInt64) throws -> [Int] {
        guard inputShapes.count == 1 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShapes.flatMap { $0 },
                                                  reason: "\(typeName) takes one input, got \(inputShapes.count)")
        }
        return try build(inputShape: inputShapes[0], seed: seed)
    }

    public func forward(_ inputs: [UnsafePointer<Float>], batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        forward(inputs[0], batch: batch, context: context)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradients: [Bool]) -> [UnsafePointer<Float>?] {
        [backward(gradOutput, batch: batch, needsInputGradient: needsInputGradients[0])]
    }
}

extension Layer {
    public var trainableParameters: [Parameter] {
        trainable ? parameters.filter(\.isTrainable) : []
    }

    /// Parameters (weights, statistics) in this layer.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Parameters the optimiser would update.
    public var trainableParameterCount: Int { trainableParameters.reduce(0) { $0 + $1.count } }

    /// Keras's default name stem (its `to_snake_case` of the class name):
    /// `Conv2D` → `conv2d`, `MaxPooling2D` → `max_pooling2d`, `ReLU` → `re_lu`,
    /// `Conv2DTranspose` → `conv2d_transpose`.
    public var defaultNameStem: String {
        var stem = ""
        let characters = Array(typeName)
        for (i, ch) in characters.enumerated() {
            let startsWord = i + 1 < characters.count && characters[i + 1].isLowercase
            if ch.isUppercase, i > 0, characters[i - 1].isLowercase || startsWord { stem.append("_") }
            stem.append(Character(ch.lowercased()))
        }
        return stem
    }

    /// Elements of one output sample.
    var outputSize: Int { outputShape.reduce(1, *) }
}
