/// The output of a node in a graph being defined: Keras's symbolic tensor.
///
/// Calling a layer on symbolic tensors adds a node to their graph, names
/// and builds the layer, and returns the node's output; `Model(inputs:outputs:name:)`
/// then takes the part of the graph between its inputs and outputs.
///
/// ```swift
/// let input = try Input(shape: [28, 28, 1], seed: 1)
/// let a = try Conv2D(filters: 8, kernelSize: (3, 3), padding: .same, activation: .relu)(input)
/// let b = try Conv2D(filters: 8, kernelSize: (3, 3), padding: .same)(a)
/// let sum = try Add()([a, b])
/// let output = try Dense(units: 10, activation: .softmax)(try Flatten()(sum))
/// let model = try Model(inputs: [input], outputs: [output])
/// ```
public struct SymbolicTensor {
    /// The graph the tensor belongs to.
    public let graph: GraphBuilder
    /// The node that produces it.
    let node: Int
    /// Per-sample shape (no batch axis).
    public var shape: [Int] { graph.nodes[node].shape }
    /// Name of the producing node (the layer's name, or the input's).
    public var name: String { graph.nodes[node].name }
}

/// A graph being defined: its nodes, the names in use and the seed that
/// initialises every layer called in it.
///
/// Layer `name`'s weights are drawn from `CounterRandom.key([seed, streamKey(name)])`
/// (see ``ForwardContext/streamKey(of:)``), so they depend on the seed and the
/// layer's name alone, not on the order in which the graph was written.
public final class GraphBuilder {
    /// A node: a graph input (no layer) or a layer called on other nodes.
    struct Node {
        let name: String
        let layer: (any Layer)?
        let inputs: [Int]
        let shape: [Int]
    }

    /// Seed of the weights of the layers called in this graph.
    public let seed: UInt64
    private(set) var nodes: [Node] = []
    private var usedNames: Set<String> = []
    private var usedLayers: Set<ObjectIdentifier> = []

    /// An empty graph.
    public init(seed: UInt64 = 0) { self.seed = seed }

    /// A new graph input of per-sample `shape` (Keras's `Input(shape=...)`),
    /// named `input_layer`, `input_layer_1`... unless `name` is given.
    public func input(shape: [Int], name: String = "") throws -> SymbolicTensor {
        try require(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "shape", shape, "extents must be positive")
        let name = try claim(name, stem: "input_layer")
        nodes.append(Node(name: name, layer: nil, inputs: [], shape: shape))
        return SymbolicTensor(graph: self, node: nodes.count - 1)
    }

    /// Adds a node calling `layer` on `inputs`: names the layer when it has no
    /// name, builds it for the inputs' shapes and returns its output.
    func call(_ layer: any Layer, on inputs: [SymbolicTensor]) throws -> SymbolicTensor {
        guard !inputs.isEmpty else {
            throw TrainingError.invalidArgument(parameter: "inputs", value: "[]", reason: "\(layer.typeName) was called on no tensor")
        }
        guard inputs.allSatisfy({ $0.graph === self }) else {
            throw TrainingError.invalidArgument(
                parameter: "inputs", value: inputs.map(\.name).description,
                reason: "the tensors come from different graphs: create every input with the same GraphBuilder")
        }
        guard !usedLayers.contains(ObjectIdentifier(layer)) else {
            throw TrainingError.invalidArgument(
                parameter: "layer", value: layer.name,
                reason: "the layer is already called in this graph; calling one layer object on two inputs (shared layers) is not supported, create a second layer")
        }
        let name = try claim(layer.name, stem: layer.defaultNameStem)
        let shapes = inputs.map(\.shape)
        layer.name = name
        let key = CounterRandom.key([seed, ForwardContext.streamKey(of: name)])
        let shape: [Int]
        do {
            shape = try layer.build(inputShapes: shapes, seed: key)
        } catch let TrainingError.incompatibleShape(_, _, reason) {
            let sources = inputs.map { "\($0.name) \($0.shape)" }.joined(separator: ", ")
            throw TrainingError.incompatibleShape(layer: name, inputShape: shapes.count == 1 ? shapes[0] : shapes.flatMap { $0 },
                                                  reason: "\(reason) (inputs: \(sources))")
        }
        usedLayers.insert(ObjectIdentifier(layer))
        nodes.append(Node(name: name, layer: layer, inputs: inputs.map(\.node), shape: shape))
        return SymbolicTensor(graph: self, node: nodes.count - 1)
    }

    /// `name`, or the first free `stem`, `stem_1`, `stem_2`... when it is empty.
    private func claim(_ name: String, stem: String) throws -> String {
        var candidate = name
        if candidate.isEmpty {
            candidate = stem
            var suffix = 0
            while usedNames.contains(candidate) { suffix += 1; candidate = "\(stem)_\(suffix)" }
        } else if usedNames.contains(candidate) {
            throw TrainingError.invalidArgument(parameter: "name", value: candidate, reason: "layer names must be unique within a model")
        }
        usedNames.insert(candidate)
        return candidate
    }
}

/// A graph input in a new graph whose layers are initialised from `seed`
/// (Keras's `keras.Input`). Further inputs of the same graph come from
/// `input.graph.input(shape:)`.
public func Input(shape: [Int], seed: UInt64 = 0, name: String = "") throws -> SymbolicTensor {
    try GraphBuilder(seed: seed).input(shape: shape, name: name)
}

extension Layer {
    /// Calls the layer on one symbolic tensor, adding a node to its graph.
    public func callAsFunction(_ input: SymbolicTensor) throws -> SymbolicTensor {
        try input.graph.call(self, on: [input])
    }

    /// Calls the layer on several symbolic tensors (merging layers).
    public func callAsFunction(_ inputs: [SymbolicTensor]) throws -> SymbolicTensor {
        guard let first = inputs.first else {
            throw TrainingError.invalidArgument(parameter: "inputs", value: "[]", reason: "\(typeName) was called on no tensor")
        }
        return try first.graph.call(self, on: inputs)
    }
}
