/// One unit of work of a model's forward and backward passes: a node, or
/// nodes that a fusion pass found and that run better together.
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
    /// A linear convolution, the ``BatchNormalization`` reading it and what
    /// follows as post-ops, folded into one convolution
    /// (``ConvolutionBatchNormalization``) when the normalisation uses its
    /// moving statistics and no gradient is needed.
    case foldedChain(ConvolutionBatchNormalization, FoldChain)
    /// A linear ``Conv2D``, the ``Add`` of its output and a residual, and a
    /// ReLU, as one convolution with post-ops (``ConvolutionResidual``), in
    /// training too.
    case residualChain(ConvolutionResidual, ResidualChain)

    /// The graph nodes the step runs, in forward order.
    var nodes: [Int] {
        switch self {
        case let .node(index): [index]
        case let .reluConvolutionPooling(convolution, pooling), let .convolutionPooling(_, convolution, pooling):
            [convolution, pooling]
        case let .foldedChain(_, chain): chain.nodes
        case let .residualChain(_, chain): chain.nodes
        }
    }
}

/// A linear convolution (``Conv2D``, ``DepthwiseConv2D``), the
/// ``BatchNormalization`` that alone reads it, then optionally an ``Add``
/// that alone reads the chain so far (with another node, the residual) and a
/// ReLU or ReLU6 that alone reads the chain so far: conv → BN → add → relu in
/// ResNet50, conv → BN → ReLU6 and conv → BN → add in MobileNetV2. A
/// ``ZeroPadding2D`` read by the convolution alone joins the chain in front
/// and becomes the convolution's own (asymmetric) padding, so its padded copy
/// is never made (MobileNetV2's `block_1_pad` before a stride-2 depthwise
/// convolution, ResNet50's `conv1_pad`).
struct FoldChain: Equatable {
    let convolution: Int
    let normalization: Int
    /// The ``ZeroPadding2D`` node in front and its margins.
    var padding: (node: Int, margins: Margins2D)?
    /// The ``Add`` node and its other input.
    var add: (node: Int, residual: Int)?
    /// The activation node and the post-op it becomes.
    var activation: (node: Int, function: ConvolutionPlan.FusedActivation)?

    /// The node whose output the chain produces.
    var last: Int { activation?.node ?? add?.node ?? normalization }
    /// The node whose output the chain reads: the padding's, else the convolution's.
    var first: Int { padding?.node ?? convolution }
    var nodes: [Int] {
        [padding?.node].compactMap { $0 } + [convolution, normalization] + [add?.node, activation?.node].compactMap { $0 }
    }

    /// This chain and its shorter prefixes, longest first (all with the padding in front).
    var prefixes: [FoldChain] {
        var chains = [self]
        var shorter = self
        if shorter.activation != nil { shorter.activation = nil; chains.append(shorter) }
        if shorter.add != nil { shorter.add = nil; chains.append(shorter) }
        return chains
    }

    static func == (a: FoldChain, b: FoldChain) -> Bool { a.nodes == b.nodes }
}

/// A linear ``Conv2D`` read only by an ``Add`` (with another node, the
/// residual) read only by a ReLU: a ResNet basic block's second half.
struct ResidualChain: Equatable {
    let convolution: Int
    let add: Int
    let residual: Int
    let activation: Int

    var nodes: [Int] { [convolution, add, activation] }
}

/// Graph passes that choose the steps of a model: patterns matched on the
/// graph, not downcasts inside a model type. Whether a matched pattern may be
/// fused in a given pass (no gradient asked for, statistics frozen...) is
/// the caller's decision, through the two closures.
enum GraphFusion {
    /// The steps of `graph` in topological order. `pooling(convolution, pooling)`
    /// returns the fused kernel for a ReLU convolution + max pooling pair when
    /// it may run fused in this pass; `folding(chain)` the folded convolution
    /// for a convolution + batch normalisation chain (tried longest first).
    /// `residual(chain)` the fused convolution of a residual chain.
    static func steps(of graph: Graph, pooling: (Int, Int) -> ConvolutionPooling?,
                      folding: (FoldChain) -> ConvolutionBatchNormalization?,
                      residual: (ResidualChain) -> ConvolutionResidual?) -> [GraphStep] {
        let nodes = graph.nodes
        // The one node that reads each single-consumer node.
        var reader = [Int: Int]()
        for (index, node) in nodes.enumerated() {
            for input in node.inputs where nodes[input].consumers == 1 { reader[input] = index }
        }
        // Max pooling partners of ReLU convolutions, by the pooling node.
        var poolingOf = [Int: Int]()
        // Folded chains that may run in this pass, by their last node; the other nodes are skipped.
        var chainAt = [Int: (ConvolutionBatchNormalization, FoldChain)]()
        var skipped = Set<Int>()
        var residualAt = [Int: (ConvolutionResidual, ResidualChain)]()
        var uses = [ObjectIdentifier: Int]()
        for node in nodes { if let layer = node.layer { uses[ObjectIdentifier(layer), default: 0] += 1 } }
        // Nodes of accepted chains, and residuals, whose values later chains must not skip
        // (an Add of two convolution branches matches from both: the first one takes it).
        var claimed = Set<Int>(), kept = Set<Int>()
        func accept(_ chainNodes: [Int], residual: Int?) -> Bool {
            guard claimed.isDisjoint(with: chainNodes), kept.isDisjoint(with: chainNodes.dropLast()),
                  graph.sharedNodes.isDisjoint(with: chainNodes),
                  residual.map({ !skipped.contains($0) }) ?? true else { return false }
            claimed.formUnion(chainNodes)
            skipped.formUnion(chainNodes.dropLast())
            if let residual { kept.insert(residual) }
            return true
        }
        for (index, node) in nodes.enumerated() {
            guard let conv = node.layer as? any FoldableConvolution, let next = reader[index],
                  !graph.sharedNodes.contains(index), !graph.sharedNodes.contains(next) else { continue }
            if nodes[next].layer is MaxPooling2D, let conv = conv as? Conv2D, conv.activation == .relu {
                poolingOf[next] = index
            }
            if let conv = conv as? Conv2D, uses[ObjectIdentifier(conv)] == 1,
               let chain = residualChain(graph, convolution: index, add: next, reader: reader),
               let fused = residual(chain), accept(chain.nodes, residual: chain.residual) {
                residualAt[chain.activation] = (fused, chain)
                continue
            }
            guard conv.activation == .linear, nodes[next].layer is BatchNormalization else { continue }
            for chain in foldChain(graph, convolution: index, normalization: next, reader: reader).prefixes {
                guard let folded = folding(chain), accept(chain.nodes, residual: chain.add?.residual) else { continue }
                chainAt[chain.last] = (folded, chain)
                break
            }
        }
        var steps = [GraphStep]()
        for index in nodes.indices where nodes[index].layer != nil && !skipped.contains(index) {
            if let (folded, chain) = chainAt[index] {
                steps.append(.foldedChain(folded, chain))
            } else if let (fused, chain) = residualAt[index] {
                steps.append(.residualChain(fused, chain))
            } else if let convolution = poolingOf[index] {
                if let fused = pooling(convolution, index) {
                    steps.append(.convolutionPooling(fused, convolution: convolution, pooling: index))
                } else {
                    steps.append(.reluConvolutionPooling(convolution: convolution, pooling: index))
                }
            } else if !poolingOf.values.contains(index) {
                steps.append(.node(index))
            }
        }
        return steps
    }

    /// The longest chain from `convolution` → `normalization`.
    private static func foldChain(_ graph: Graph, convolution: Int, normalization: Int, reader: [Int: Int]) -> FoldChain {
        let nodes = graph.nodes
        var chain = FoldChain(convolution: convolution, normalization: normalization)
        let source = nodes[convolution].inputs[0]
        if let pad = nodes[source].layer as? ZeroPadding2D, reader[source] == convolution,
           !graph.sharedNodes.contains(source), !graph.outputs.contains(source),
           (nodes[convolution].layer as? any FoldableConvolution)?.geometry?.absorbing(pad.padding) != nil {
            chain.padding = (source, pad.padding)
        }
        var tail = normalization
        if let next = reader[tail], nodes[next].layer is Add, nodes[next].inputs.count == 2,
           let residual = nodes[next].inputs.first(where: { $0 != tail }), nodes[residual].shape == nodes[next].shape {
            chain.add = (next, residual)
            tail = next
        }
        if let next = reader[tail], let layer = nodes[next].layer, let function = fusedActivation(layer) {
            chain.activation = (next, function)
        }
        return chain
    }

    /// The residual chain from a linear `convolution` read by `add`, if the
    /// pattern holds (the ReLU is not a model output).
    private static func residualChain(_ graph: Graph, convolution: Int, add: Int, reader: [Int: Int]) -> ResidualChain? {
        let nodes = graph.nodes
        guard (nodes[convolution].layer as? Conv2D)?.activation == .linear, nodes[add].layer is Add,
              nodes[add].inputs.count == 2, let residual = nodes[add].inputs.first(where: { $0 != convolution }),
              nodes[residual].shape == nodes[add].shape, let activation = reader[add],
              let layer = nodes[activation].layer, fusedActivation(layer) == .relu,
              !graph.outputs.contains(activation) else { return nil }
        return ResidualChain(convolution: convolution, add: add, residual: residual, activation: activation)
    }

    /// The post-op equal to `layer`: a plain ReLU or ReLU6.
    static func fusedActivation(_ layer: any Layer) -> ConvolutionPlan.FusedActivation? {
        if let relu = layer as? ReLU, relu.negativeSlope == 0, relu.threshold == 0 {
            switch relu.maxValue {
            case nil: return .relu
            case 6: return .relu6
            default: return nil
            }
        }
        if let activation = layer as? Activation {
            switch activation.function {
            case .relu: return .relu
            case .relu6: return .relu6
            default: return nil
            }
        }
        return nil
    }
}
