/// One unit of work of a model's forward and backward passes: a node, or
/// a pair of nodes that a fusion pass found and that run better together.
enum GraphStep {
    /// A node's layer, alone.
    case node(Int)
    /// A ReLU ``Conv2D`` whose only consumer is a ``MaxPooling2D``: both
    /// forward passes run as usual, and the pooling's backward pass routes the
    /// gradient only to maxima > 0, which is the convolution's ReLU backward.
    case reluConvolutionPooling(convolution: Int, pooling: Int)
    /// The same pair reading a model input whose gradient is never needed,
    /// in one cache-resident kernel (``ConvolutionPooling``); the
    /// convolution's output is never written.
    case convolutionPooling(ConvolutionPooling, convolution: Int, pooling: Int)
}

/// Graph passes that choose the steps of a model: patterns matched on the
/// graph, not downcasts inside a model type.
enum GraphFusion {
    /// The steps of `graph` in topological order. With `fuseInputs`, a ReLU
    /// convolution + max pooling on a model input becomes one kernel (its
    /// input gradient can then not be asked for).
    static func steps(of graph: Graph, fuseInputs: Bool) -> [GraphStep] {
        let nodes = graph.nodes
        let inputs = Set(graph.inputs)
        // The pooling node fused with each convolution node, by convolution.
        var pairs = [Int: Int]()
        for (index, node) in nodes.enumerated() {
            guard let pool = node.layer as? MaxPooling2D, let source = node.inputs.first,
                  let conv = nodes[source].layer as? Conv2D, conv.activation == .relu,
                  nodes[source].consumers == 1, pool.geometry != nil else { continue }
            pairs[source] = index
        }
        var steps = [GraphStep]()
        let fusedPools = Set(pairs.values)
        // A fused convolution is emitted at its pooling's position.
        for index in nodes.indices where nodes[index].layer != nil && pairs[index] == nil {
            guard fusedPools.contains(index) else { steps.append(.node(index)); continue }
            let convolution = nodes[index].inputs[0]
            if fuseInputs, inputs.contains(nodes[convolution].inputs[0]),
               let fused = ConvolutionPooling(nodes[convolution].layer as! Conv2D, nodes[index].layer as! MaxPooling2D) {
                steps.append(.convolutionPooling(fused, convolution: convolution, pooling: index))
            } else {
                steps.append(.reluConvolutionPooling(convolution: convolution, pooling: index))
            }
        }
        return steps
    }
}
