/// One unit of work of a model's forward and backward passes: a node, or
/// a pair of nodes that a fusion pass found and that run better together.
enum GraphStep {
    /// A node's layer, alone.
    case node(Int)
    /// A ReLU ``Conv2D`` whose only consumer is a ``MaxPooling2D``: both
    /// forward passes run as usual, and the pooling's backward pass routes the
    /// gradient only to maxima > 0, which is the convolution's ReLU backward.
    case reluConvolutionPooling(convolution: Int, pooling: Int)
    /// The same pair reading a model input whose gradient is not needed,
    /// in one cache-resident kernel (``ConvolutionPooling``); the
    /// convolution's output is never written.
    case convolutionPooling(ConvolutionPooling, convolution: Int, pooling: Int)
    /// A linear ``Conv2D`` and the ``BatchNormalization`` reading it, folded
    /// into one convolution (``ConvolutionBatchNormalization``) when the
    /// normalisation uses its moving statistics and no gradient is needed.
    case convolutionNormalization(ConvolutionBatchNormalization, convolution: Int, normalization: Int)

    /// The graph nodes the step runs, in forward order.
    var nodes: [Int] {
        switch self {
        case let .node(index): [index]
        case let .reluConvolutionPooling(convolution, pooling), let .convolutionPooling(_, convolution, pooling):
            [convolution, pooling]
        case let .convolutionNormalization(_, convolution, normalization): [convolution, normalization]
        }
    }
}

/// Graph passes that choose the steps of a model: patterns matched on the
/// graph, not downcasts inside a model type. Whether a matched pair may be
/// fused in a given pass (no gradient asked for, statistics frozen...) is
/// the caller's decision, through the two closures.
enum GraphFusion {
    /// The steps of `graph` in topological order. `pooling(convolution, pooling)`
    /// returns the fused kernel for a ReLU convolution + max pooling pair when
    /// it may run fused in this pass; `folding(convolution, normalization)` the
    /// folded convolution for a linear convolution + batch normalisation pair.
    static func steps(of graph: Graph, pooling: (Int, Int) -> ConvolutionPooling?,
                      folding: (Int, Int) -> ConvolutionBatchNormalization?) -> [GraphStep] {
        let nodes = graph.nodes
        // The node that reads each single-consumer convolution, when it forms a pattern.
        var partner = [Int: Int]()
        for (index, node) in nodes.enumerated() {
            guard let source = node.inputs.first, node.inputs.count == 1, nodes[source].consumers == 1,
                  let conv = nodes[source].layer as? Conv2D,
                  !graph.sharedNodes.contains(source), !graph.sharedNodes.contains(index) else { continue }
            if node.layer is MaxPooling2D, conv.activation == .relu { partner[source] = index }
            if node.layer is BatchNormalization, conv.activation == .linear { partner[source] = index }
        }
        let partners = Set(partner.values)
        var steps = [GraphStep]()
        // A pair is emitted at its second node's position; its first node is skipped.
        for index in nodes.indices where nodes[index].layer != nil && partner[index] == nil {
            guard partners.contains(index) else { steps.append(.node(index)); continue }
            let convolution = nodes[index].inputs[0]
            if nodes[index].layer is MaxPooling2D {
                if let fused = pooling(convolution, index) {
                    steps.append(.convolutionPooling(fused, convolution: convolution, pooling: index))
                } else {
                    steps.append(.reluConvolutionPooling(convolution: convolution, pooling: index))
                }
            } else if let folded = folding(convolution, index) {
                steps.append(.convolutionNormalization(folded, convolution: convolution, normalization: index))
            } else {
                steps += [.node(convolution), .node(index)]
            }
        }
        return steps
    }
}
