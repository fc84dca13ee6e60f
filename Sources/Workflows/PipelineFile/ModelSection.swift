import Augmentation
import Training

/// The optional `model` section: a Keras-style layer list. The input shape
/// comes from the data section (target size and colour mode).
///
/// With transfer learning, `base` (a ``BaseSection``) names the base and
/// `layers` is the head; a base with `pooling` and no layers is a feature extractor:
///
/// ```yaml
/// model:
///   base: {application: mobilenet_v2, weights: ~/.keras/models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5,
///          include_top: false, trainable: false}
///   layers: [global_average_pooling2d, {dense: {units: 3, activation: softmax}}]
/// ```
///
/// ```yaml
/// model:
///   seed: 1
///   layers:
///     - conv2d: {filters: 32, kernel_size: 3, activation: relu}
///     - max_pooling2d: {pool_size: 2}
///     - flatten
///     - dense: {units: 10, activation: softmax}
/// ```
///
/// Each layer reads the entry before it, unless it names its `inputs`: then
/// the list is a graph (a Keras Functional model), and `input` is the model's
/// input. The last entry is the output. A residual block:
///
/// ```yaml
///     - conv2d: {name: stem, filters: 16, kernel_size: 3, padding: same, activation: relu}
///     - conv2d: {filters: 16, kernel_size: 3, padding: same, activation: relu}
///     - conv2d: {name: residual, filters: 16, kernel_size: 3, padding: same}
///     - add: {inputs: [stem, residual]}
///     - activation: {activation: relu}
/// ```
public struct ModelSection: Codable, Sendable, Equatable {
    public var layers: [LayerSpec]
    /// Seed of weight initialisation and dropout masks (default: the data seed).
    public var seed: UInt64?
    /// The base under the layers, as written here; ``PipelineFile`` moves it
    /// to ``PipelineFile/base`` (nil after loading).
    public var base: BaseSection?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case layers, seed, base
    }

    public init(layers: [LayerSpec], seed: UInt64? = nil) {
        self.layers = layers
        self.seed = seed
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        base = try c.decodeIfPresent(BaseSection.self, forKey: .base)
        layers = try c.value(.layers, default: [])  // empty only under a base (checked by PipelineFile)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        var names = GraphNames()
        for (index, spec) in layers.enumerated() {
            let path = c.codingPath + [CodingKeys.layers, AnyCodingKey(intValue: index)!]
            do {
                let layer = try spec.makeLayer()
                if let unknown = spec.options.inputs?.first(where: { !names.contains($0) }) {
                    throw LayerSpecError("input '\(unknown)' is not an earlier layer's name (known: \(names.known.joined(separator: ", ")))")
                }
                try names.claim(spec.options.name, stem: layer.defaultNameStem)
            } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "\(error)"))
            }
        }
    }

    /// Whether some layer names its inputs (the list is a graph, not a chain).
    public var isGraph: Bool { layers.contains { $0.options.inputs != nil } }

    /// A new model for per-sample `inputShape`: `base` layers (already built:
    /// transfer learning) first, then this section's layers. A chain becomes a
    /// `Sequential`, a graph a Functional `Model`.
    public func makeModel(inputShape: [Int], seed: UInt64, base: [any Layer] = []) throws -> Model {
        guard isGraph else {
            return try Sequential(inputShape: inputShape, seed: seed, layers: base + makeLayers())
        }
        let input = try GraphBuilder(seed: seed).input(shape: inputShape)
        var nodes = ["input": input]
        var previous = input
        for layer in base { previous = try layer.callAsFunction(previous) }
        for spec in layers {
            let layer = try spec.makeLayer()
            let sources = try (spec.options.inputs ?? []).map { name in
                guard let node = nodes[name] else {
                    throw LayerSpecError("layer '\(spec.options.name ?? spec.kind)' reads '\(name)', which is not an earlier layer")
                }
                return node
            }
            previous = try layer.callAsFunction(sources.isEmpty ? [previous] : sources)
            nodes[layer.name] = previous
        }
        return try Model(inputs: input, outputs: previous)
    }

    /// Fresh, unbuilt layers for a new model.
    public func makeLayers() throws -> [any Layer] {
        try layers.map { try $0.makeLayer() }
    }
}

/// The node names a graph-form layer list defines, as the graph will name
/// them (`conv2d`, `conv2d_1`...), for checking `inputs` references.
struct GraphNames {
    private(set) var known = ["input"]

    func contains(_ name: String) -> Bool { known.contains(name) }

    mutating func claim(_ name: String?, stem: String) throws {
        if let name {
            guard !known.contains(name) else { throw LayerSpecError("the name '\(name)' is already used") }
            known.append(name)
            return
        }
        var candidate = stem, suffix = 0
        while known.contains(candidate) { suffix += 1; candidate = "\(stem)_\(suffix)" }
        known.append(candidate)
    }
}
