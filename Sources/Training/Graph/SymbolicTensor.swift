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
    /// The graph that made the tensor, and its node there; when that graph
    /// has since joined another (``GraphBuilder``), ``graph`` and ``node``
    /// follow it.
    private let origin: GraphBuilder
    private let originNode: Int

    init(graph: GraphBuilder, node: Int) {
        origin = graph
        originNode = node
    }

    /// The graph the tensor belongs to.
    public var graph: GraphBuilder { origin.resolve(originNode).graph }
    /// The node that produces it.
    var node: Int { origin.resolve(originNode).node }
    /// Per-sample shape (no batch axis).
    public var shape: [Int] { let (graph, node) = origin.resolve(originNode); return graph.nodes[node].shape }
    /// Name of the producing node (the layer's name, or the input's).
    public var name: String { let (graph, node) = origin.resolve(originNode); return graph.nodes[node].name }
}

/// A graph being defined: its nodes, the names in use and the seed that
/// initialises every layer called in it.
///
/// Layer `name`'s weights are drawn from `CounterRandom.key([seed, streamKey(name)])`
/// (see ``ForwardContext/streamKey(of:)``), so they depend on the seed and the
/// layer's name alone, not on the order in which the graph was written.
///
/// A layer called on tensors of two graphs joins them, as Keras's one
/// session does: the second graph's nodes move into the first's (the graph
/// of the call's first tensor, whose seed then initialises later layers),
/// and a name Augment chose there (`input_layer`, `dense`...) that the first
/// graph already uses takes the next free suffix (`input_layer_1`). So
/// `let a = try Input(shape: [3]); let b = try Input(shape: [3])` make the
/// two inputs of one model.
///
/// A layer called again is a shared layer: one layer, its weights used by
/// every call, its gradients summed over them. Its later calls are nodes
/// named `name:1`, `name:2`... and must see the same input shapes.
public final class GraphBuilder {
    /// A node: a graph input (no layer) or a layer called on other nodes.
    struct Node {
        var name: String
        let layer: (any Layer)?
        let inputs: [Int]
        let shape: [Int]
    }

    /// Seed of the weights of the layers called in this graph.
    public let seed: UInt64
    private(set) var nodes: [Node] = []
    private var usedNames: Set<String> = []
    /// Each called layer's input shapes and number of calls.
    private var calls: [ObjectIdentifier: (shapes: [[Int]], count: Int)] = [:]
    /// Nodes whose names Augment chose, with the stem they came from.
    private var chosenNames: [Int: String] = [:]
    /// The graph this one joined, and where its nodes start there.
    private var joined: (graph: GraphBuilder, offset: Int)?

    /// An empty graph.
    public init(seed: UInt64 = 0) { self.seed = seed }

    /// The graph and index that node `node` of this graph now has.
    func resolve(_ node: Int) -> (graph: GraphBuilder, node: Int) {
        var graph = self, index = node
        while let (target, offset) = graph.joined {
            graph = target
            index += offset
        }
        return (graph, index)
    }

    /// A new graph input of per-sample `shape` (Keras's `Input(shape=...)`),
    /// named `input_layer`, `input_layer_1`... unless `name` is given.
    public func input(shape: [Int], name: String = "") throws -> SymbolicTensor {
        if joined != nil { return try resolve(0).graph.input(shape: shape, name: name) }
        try require(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "shape", shape, "extents must be positive")
        let claimed = try claim(name, stem: "input_layer")
        nodes.append(Node(name: claimed, layer: nil, inputs: [], shape: shape))
        if name.isEmpty { chosenNames[nodes.count - 1] = "input_layer" }
        return SymbolicTensor(graph: self, node: nodes.count - 1)
    }

    /// Adds a node calling `layer` on `inputs`: names the layer when it has no
    /// name, builds it for the inputs' shapes and returns its output. Inputs
    /// from other graphs join this one first.
    func call(_ layer: any Layer, on inputs: [SymbolicTensor]) throws -> SymbolicTensor {
        guard !inputs.isEmpty else {
            throw TrainingError.invalidArgument(parameter: "inputs", value: "[]", reason: "\(layer.typeName) was called on no tensor")
        }
        for other in inputs.map(\.graph) where other !== self { try absorb(other) }
        let shapes = inputs.map(\.shape)
        if let previous = calls[ObjectIdentifier(layer)] {
            guard previous.shapes == shapes else {
                throw TrainingError.incompatibleShape(
                    layer: layer.name, inputShape: shapes.flatMap { $0 },
                    reason: "a shared layer must be called on inputs of the shapes of its first call, \(previous.shapes)")
            }
            calls[ObjectIdentifier(layer)] = (shapes, previous.count + 1)
            let name = "\(layer.name):\(previous.count)"
            usedNames.insert(name)
            nodes.append(Node(name: name, layer: layer, inputs: inputs.map(\.node), shape: layer.outputShape))
            return SymbolicTensor(graph: self, node: nodes.count - 1)
        }
        let chosen = layer.name.isEmpty
        let name = try claim(layer.name, stem: layer.defaultNameStem)
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
        calls[ObjectIdentifier(layer)] = (shapes, 1)
        nodes.append(Node(name: name, layer: layer, inputs: inputs.map(\.node), shape: shape))
        if chosen { chosenNames[nodes.count - 1] = layer.defaultNameStem }
        return SymbolicTensor(graph: self, node: nodes.count - 1)
    }

    /// Moves `other`'s nodes into this graph. A layer this graph already
    /// calls becomes a shared layer; a name Augment chose there that this
    /// graph uses takes the next free suffix; a name the user gave that it
    /// uses is an error.
    private func absorb(_ other: GraphBuilder) throws {
        for (index, node) in other.nodes.enumerated()
        where usedNames.contains(node.name) && other.chosenNames[index] == nil && !node.name.contains(":")
            && node.layer.map({ calls[ObjectIdentifier($0)] == nil }) ?? true {
            throw TrainingError.invalidArgument(
                parameter: "name", value: node.name,
                reason: "joining two graphs (a layer called on tensors of both): layer names must be unique within a model")
        }
        let offset = nodes.count
        for (index, node) in other.nodes.enumerated() {
            var name = node.name
            if let layer = node.layer, let previous = calls[ObjectIdentifier(layer)] {
                let shapes = other.calls[ObjectIdentifier(layer)]!.shapes
                guard shapes == previous.shapes else {
                    throw TrainingError.incompatibleShape(
                        layer: layer.name, inputShape: shapes.flatMap { $0 },
                        reason: "a shared layer must be called on inputs of the shapes of its first call, \(previous.shapes)")
                }
                name = "\(layer.name):\(previous.count)"
                calls[ObjectIdentifier(layer)] = (shapes, previous.count + 1)
                usedNames.insert(name)
            } else {
                if let stem = other.chosenNames[index] {
                    if usedNames.contains(name) { name = try claim("", stem: stem) } else { usedNames.insert(name) }
                    chosenNames[offset + index] = stem
                    node.layer?.name = name
                } else {
                    usedNames.insert(name)
                }
                if let layer = node.layer { calls[ObjectIdentifier(layer)] = (other.calls[ObjectIdentifier(layer)]!.shapes, 1) }
            }
            nodes.append(Node(name: name, layer: node.layer, inputs: node.inputs.map { $0 + offset }, shape: node.shape))
        }
        other.nodes = []
        other.joined = (self, offset)
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
/// (Keras's `keras.Input`). A second `Input` joins the first's graph when a
/// layer is called on tensors of both (see ``GraphBuilder``); so does
/// `input.graph.input(shape:)`, at once.
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
