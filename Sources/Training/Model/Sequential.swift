/// A linear stack of layers, built for a fixed per-sample input shape, as
/// Keras's `Sequential`: a chain on the same graph engine as ``Model``.
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
/// Layers are shared, not copied: passing another model's layers, or the
/// model itself (`Sequential(inputShape:layers: [base, GlobalAveragePooling2D(), Dense(...)])`),
/// builds a model on the same weights (transfer learning).
public final class Sequential: Model {
    /// Names unnamed layers as Keras does (`conv2d`, `conv2d_1`...) and builds
    /// each for its predecessor's output. Throws on an incompatible shape or a
    /// layer that takes several inputs.
    public init(inputShape: [Int], seed: UInt64 = 0, name: String = "sequential", layers: [any Layer]) throws {
        let builder = GraphBuilder(seed: seed)
        let input = try builder.input(shape: inputShape)
        var output = input
        for layer in layers { output = try layer(output) }
        try super.init(graph: Graph(inputs: [input], outputs: [output]), seed: seed, name: name, typeName: "Sequential")
    }
}
