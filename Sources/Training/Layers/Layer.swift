/// A layer of a ``Sequential`` model working on NHWC (or N×features) batches.
///
/// Layers are classes: they own their parameters and the scratch buffers of
/// their outputs and gradients, sized on first use and reused afterwards.
/// The pointer a layer returns from ``forward(_:batch:context:)`` or
/// ``backward(_:batch:needsInputGradient:)`` stays valid until its next call;
/// a layer may keep its input pointer for the backward pass, because the
/// model keeps the previous layer's buffer alive.
public protocol Layer: AnyObject {
    /// Keras class name shown by `summary()` (`Conv2D`, `Dense`...).
    var typeName: String { get }
    /// Unique name within the model (`conv2d`, `conv2d_1`...); empty until
    /// a model names it.
    var name: String { get set }
    /// When false the optimiser leaves the layer's parameters alone (and
    /// batch normalisation runs in inference mode, as in Keras).
    var trainable: Bool { get set }
    /// Weights in Keras order; empty before ``build(inputShape:seed:)``.
    var parameters: [Parameter] { get }
    /// Per-sample output shape; empty before ``build(inputShape:seed:)``.
    var outputShape: [Int] { get }

    /// Creates the parameters for a per-sample input shape (no batch axis),
    /// initialised from `seed`, and returns the output shape. Building an
    /// already built layer for the same shape keeps its weights.
    func build(inputShape: [Int], seed: UInt64) throws -> [Int]

    /// Computes the outputs of `batch` samples.
    /// - Complexity: linear in the batch; GEMM-bound for Conv2D and Dense.
    func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float>

    /// Given d(loss)/d(output) of the last forward pass, stores the parameter
    /// gradients and returns d(loss)/d(input) (nil when not asked for).
    func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>?
}

extension Layer {
    /// Parameters (weights, statistics) in this layer.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Parameters the optimiser would update.
    public var trainableParameterCount: Int {
        trainable ? parameters.filter(\.isTrainable).reduce(0) { $0 + $1.count } : 0
    }

    /// Keras's default name stem: `Conv2D` → `conv2d`, `MaxPooling2D` →
    /// `max_pooling2d`, `BatchNormalization` → `batch_normalization`.
    public var defaultNameStem: String {
        var stem = ""
        let characters = Array(typeName)
        for (i, ch) in characters.enumerated() {
            if ch.isUppercase, i > 0, characters[i - 1].isLowercase { stem.append("_") }
            stem.append(Character(ch.lowercased()))
        }
        return stem
    }

    /// Elements of one output sample.
    var outputSize: Int { outputShape.reduce(1, *) }
}
