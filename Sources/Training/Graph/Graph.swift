/// The part of a ``GraphBuilder`` graph that a ``Model`` runs: its inputs,
/// its layer nodes in topological order, and who consumes what.
struct Graph {
    /// A node of the model: an input (no layer) or a layer on earlier nodes.
    struct Node {
        let name: String
        let layer: (any Layer)?
        /// Indices of the input nodes, into ``Graph/nodes``.
        let inputs: [Int]
        let shape: [Int]
        /// How many times later nodes (and model outputs) read this node.
        var consumers = 0
    }

    /// Every node; a node's inputs come before it.
    private(set) var nodes: [Node]
    /// Indices of the model's inputs and outputs, in the order given.
    let inputs: [Int]
    let outputs: [Int]

    /// The nodes needed to compute `outputs` from `inputs`; throws when an
    /// output depends on a graph input that is not among `inputs`.
    init(inputs: [SymbolicTensor], outputs: [SymbolicTensor]) throws {
        guard let graph = inputs.first?.graph, !outputs.isEmpty else {
            throw TrainingError.invalidArgument(parameter: "inputs", value: "\(inputs.count) inputs, \(outputs.count) outputs",
                                                reason: "a model needs at least one input and one output")
        }
        guard (inputs + outputs).allSatisfy({ $0.graph === graph }) else {
            throw TrainingError.invalidArgument(parameter: "outputs", value: outputs.map(\.name).description,
                                                reason: "inputs and outputs come from different graphs")
        }
        let all = graph.nodes
        for input in inputs where all[input.node].layer != nil {
            throw TrainingError.invalidArgument(parameter: "inputs", value: input.name,
                                                reason: "a model input must be made by Input(shape:) or GraphBuilder.input(shape:)")
        }
        // Nodes reachable backwards from the outputs; builder order is topological.
        var needed = Set(outputs.map(\.node))
        for index in all.indices.reversed() where needed.contains(index) {
            needed.formUnion(all[index].inputs)
        }
        let inputSet = Set(inputs.map(\.node))
        for index in needed where all[index].layer == nil && !inputSet.contains(index) {
            throw TrainingError.invalidArgument(
                parameter: "inputs", value: inputs.map(\.name).description,
                reason: "the outputs depend on input '\(all[index].name)', which is not among the model's inputs")
        }
        var renumbered = [Int: Int]()
        var nodes = [Node]()
        for index in all.indices where needed.contains(index) || inputSet.contains(index) {
            let node = all[index]
            renumbered[index] = nodes.count
            nodes.append(Node(name: node.name, layer: node.layer, inputs: node.inputs.map { renumbered[$0]! }, shape: node.shape))
        }
        for node in nodes { for input in node.inputs { nodes[input].consumers += 1 } }
        self.inputs = inputs.map { renumbered[$0.node]! }
        self.outputs = outputs.map { renumbered[$0.node]! }
        for output in self.outputs { nodes[output].consumers += 1 }
        self.nodes = nodes
        let calls = Dictionary(grouping: nodes.indices.filter { nodes[$0].layer != nil }) { ObjectIdentifier(nodes[$0].layer!) }
        sharedNodes = Set(calls.values.filter { $0.count > 1 }.joined())
    }

    /// The layers in topological order (model inputs have none), each once:
    /// a shared layer is listed at its first call.
    var layers: [any Layer] {
        var seen = Set<ObjectIdentifier>()
        return nodes.compactMap(\.layer).filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// The nodes whose layer is called by more than one node (a shared layer).
    private(set) var sharedNodes: Set<Int> = []

    /// For each node, whether the backward pass must produce its gradient:
    /// it has trainable parameters upstream (its own included), or it
    /// depends on an input whose gradient is asked for.
    func requiresGradient(inputsNeedGradient: Bool) -> [Bool] {
        var requires = [Bool](repeating: false, count: nodes.count)
        for (index, node) in nodes.enumerated() {
            if let layer = node.layer {
                requires[index] = !layer.trainableParameters.isEmpty || node.inputs.contains { requires[$0] }
            } else {
                requires[index] = inputsNeedGradient
            }
        }
        return requires
    }
}
