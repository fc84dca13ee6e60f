/// One node of a model's graph as a file format sees it: a model input, or
/// one call of a layer on earlier nodes.
public struct ModelNode {
    /// The input's name, or the node's (`dense`; `dense:1` for a shared layer's second call).
    public let name: String
    /// The layer called (nil for a model input).
    public let layer: (any Layer)?
    /// Which call of ``layer`` this is (0 for its first; a shared layer has several).
    public let call: Int
    /// Indices of the nodes it reads, into ``Model/nodes``.
    public let inputs: [Int]
    /// Per-sample output shape.
    public let shape: [Int]
}

extension Model {
    /// The graph's nodes in topological order: what Keras's Functional config
    /// lists as layers and their inbound nodes.
    public var nodes: [ModelNode] {
        var calls = [ObjectIdentifier: Int]()
        return graph.nodes.map { node in
            var call = 0
            if let layer = node.layer {
                call = calls[ObjectIdentifier(layer), default: 0]
                calls[ObjectIdentifier(layer)] = call + 1
            }
            return ModelNode(name: node.name, layer: node.layer, call: call, inputs: node.inputs, shape: node.shape)
        }
    }

    /// Indices into ``nodes`` of the model's inputs and outputs, in order.
    public var inputNodes: [Int] { graph.inputs }
    public var outputNodes: [Int] { graph.outputs }
}
