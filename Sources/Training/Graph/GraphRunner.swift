/// Runs a ``Graph``'s forward and backward passes over raw batch buffers.
///
/// Forward visits the steps in topological order; backward visits them in
/// reverse and **accumulates** each node's gradient over its consumers, so a
/// node read by two branches (a residual connection) gets the sum of both.
/// Gradients flow only to nodes with trainable parameters upstream (or to
/// inputs whose gradient is asked for), so a frozen base costs no backward work.
final class GraphRunner {
    let graph: Graph
    private var steps: [GraphStep] = []
    private var requires: [Bool]
    private var inputsNeedGradient = false
    private var values: [UnsafePointer<Float>?]
    private var gradients: [UnsafePointer<Float>?]
    private let accumulators: [ScratchBuffer]
    /// Fused kernels by their second node, made once (nil: the pair is not supported).
    private var poolings: [Int: ConvolutionPooling?] = [:]
    private var foldings: [Int: ConvolutionBatchNormalization?] = [:]
    /// Copies and re-runs for the nodes of shared layers.
    private let shared: SharedLayerCalls

    init(graph: Graph) {
        self.graph = graph
        values = .init(repeating: nil, count: graph.nodes.count)
        gradients = .init(repeating: nil, count: graph.nodes.count)
        requires = .init(repeating: false, count: graph.nodes.count)
        accumulators = graph.nodes.map { _ in ScratchBuffer() }
        shared = SharedLayerCalls(graph: graph)
    }

    /// The outputs for `batch` samples, one pointer per model output, valid
    /// until the next forward. `inputsNeedGradient` says whether the backward
    /// pass that follows will ask for the inputs' gradients (kernels that
    /// cannot give them are then not used).
    func forward(_ inputs: [UnsafePointer<Float>], batch: Int, context: ForwardContext,
                 inputsNeedGradient: Bool) -> [UnsafePointer<Float>] {
        for (node, pointer) in zip(graph.inputs, inputs) { values[node] = pointer }
        self.inputsNeedGradient = inputsNeedGradient
        requires = context.training ? graph.requiresGradient(inputsNeedGradient: inputsNeedGradient)
                                    : .init(repeating: false, count: graph.nodes.count)
        steps = GraphFusion.steps(of: graph, pooling: { self.pooling($0, $1) },
                                  folding: { self.folding($0, $1, training: context.training) })
        readers = [:]
        if context.arena != nil {
            // The caller keeps the inputs: one more reader each, never returned to the arena.
            for node in graph.inputs { readers[values[node]!, default: 0] += graph.nodes[node].consumers + 1 }
        }
        for step in steps {
            switch step {
            case let .node(index):
                run(index, batch: batch, context: context)
            case let .reluConvolutionPooling(convolution, pooling):
                run(convolution, batch: batch, context: context)
                run(pooling, batch: batch, context: context)
            case let .convolutionPooling(fused, convolution, pooling):
                let source = graph.nodes[convolution].inputs[0]
                values[convolution] = nil
                values[pooling] = fused.forward(values[source]!, batch: batch, context: context)
                settle(pooling, reading: [source], arena: context.arena)
            case let .convolutionNormalization(folded, convolution, normalization):
                let source = graph.nodes[convolution].inputs[0]
                values[convolution] = nil
                values[normalization] = folded.forward(values[source]!, batch: batch, context: context)
                settle(normalization, reading: [source], arena: context.arena)
            }
        }
        return graph.outputs.map { values[$0]! }
    }

    /// Readers still to come of each activation buffer in this pass (several
    /// nodes may share one: Flatten and Reshape pass their input through).
    private var readers: [UnsafePointer<Float>: Int] = [:]

    /// In an inference pass (one with an arena), books `node`'s output and its
    /// reading of `inputs`: an input whose last reader this was goes back to
    /// the arena. Model outputs and the inputs of output nodes (a head's
    /// logits) are never returned within the pass. Training passes keep every
    /// activation and book nothing.
    private func settle(_ node: Int, reading inputs: [Int], arena: ActivationArena?) {
        guard let arena, let value = values[node] else { return }
        readers[value, default: 0] += graph.nodes[node].consumers
        guard !graph.outputs.contains(node) else { return }
        for input in inputs {
            guard let read = values[input], let left = readers[read] else { continue }
            readers[read] = left - 1
            if left == 1 { arena.release(read) }
        }
    }

    /// The fused first convolution and pooling, when the convolution reads a
    /// model input whose gradient is not asked for.
    private func pooling(_ convolution: Int, _ pooling: Int) -> ConvolutionPooling? {
        guard !inputsNeedGradient, graph.inputs.contains(graph.nodes[convolution].inputs[0]) else { return nil }
        if let made = poolings[pooling] { return made }
        let made = ConvolutionPooling(graph.nodes[convolution].layer as! Conv2D, graph.nodes[pooling].layer as! MaxPooling2D)
        poolings[pooling] = made
        return made
    }

    /// The folded convolution and normalisation, when the normalisation uses
    /// its moving statistics and neither node needs a gradient.
    private func folding(_ convolution: Int, _ normalization: Int, training: Bool) -> ConvolutionBatchNormalization? {
        let norm = graph.nodes[normalization].layer as! BatchNormalization
        guard !requires[normalization], !training || !norm.trainable else { return nil }
        if let made = foldings[normalization] { return made }
        let made = ConvolutionBatchNormalization(graph.nodes[convolution].layer as! Conv2D, norm)
        foldings[normalization] = made
        return made
    }

    private func run(_ index: Int, batch: Int, context: ForwardContext) {
        let node = graph.nodes[index]
        var nodeContext = context.forNode(named: node.name)
        nodeContext.needsInputGradient = node.inputs.contains { requires[$0] }
        let inputs = node.inputs.map { values[$0]! }
        values[index] = node.layer!.forward(inputs, batch: batch, context: nodeContext)
        if graph.sharedNodes.contains(index) {
            values[index] = shared.keep(values[index]!, of: index, reading: inputs, batch: batch, context: nodeContext)
        }
        settle(index, reading: node.inputs, arena: context.arena)
    }

    /// Back-propagates d(loss)/d(output) of the last (training) forward (one
    /// pointer per output; for output 0 of a ``LogitsOutput`` layer,
    /// d(loss)/d(logits) when `throughLogits`), storing every parameter
    /// gradient. Returns the inputs' gradients when that forward was told
    /// they would be needed, else nils.
    /// `finished` hears each node whose backward has run (or was not needed), in backward order.
    @discardableResult
    func backward(_ outputGradients: [UnsafePointer<Float>], batch: Int, throughLogits: Bool = false,
                  finished: ((Int) -> Void)? = nil) -> [UnsafePointer<Float>?] {
        for index in gradients.indices { gradients[index] = nil }
        shared.startBackward()
        for (node, gradient) in zip(graph.outputs, outputGradients) where requires[node] {
            contribute(gradient, to: node, batch: batch)
        }
        let logitsNode = throughLogits ? graph.outputs[0] : nil
        for step in steps.reversed() {
            defer { if let finished { for node in step.nodes.reversed() { finished(node) } } }
            switch step {
            case let .node(index):
                guard requires[index], let gradient = gradients[index] else { continue }
                let node = graph.nodes[index]
                let needs = node.inputs.map { requires[$0] }
                let results: [UnsafePointer<Float>?]
                if index == logitsNode, let head = node.layer as? any LogitsOutput {
                    results = [head.backward(logitsGradient: gradient, batch: batch, needsInputGradient: needs[0])]
                } else if graph.sharedNodes.contains(index) {
                    results = shared.backward(index, gradient: gradient, inputs: node.inputs.map { values[$0]! }, batch: batch,
                                              needsInputGradients: needs)
                } else {
                    results = node.layer!.backward(gradient, batch: batch, needsInputGradients: needs)
                }
                for (input, result) in zip(node.inputs, results) where requires[input] {
                    if let result { contribute(result, to: input, batch: batch, copying: graph.sharedNodes.contains(index)) }
                }
            case let .reluConvolutionPooling(convolution, pooling):
                guard requires[pooling], let gradient = gradients[pooling] else { continue }
                let conv = graph.nodes[convolution].layer as! Conv2D
                let pool = graph.nodes[pooling].layer as! MaxPooling2D
                let input = graph.nodes[convolution].inputs[0]
                let result = pool.backward(gradient, batch: batch, throughReLU: true).flatMap {
                    conv.backward(preActivationGradient: $0, batch: batch, needsInputGradient: requires[input])
                }
                if requires[input], let result { contribute(result, to: input, batch: batch) }
            case let .convolutionPooling(fused, _, pooling):
                guard requires[pooling], let gradient = gradients[pooling] else { continue }
                fused.backward(gradient, batch: batch)
            case .convolutionNormalization:
                continue  // folded only when neither node needs a gradient
            }
        }
        return graph.inputs.map { inputsNeedGradient ? gradients[$0] : nil }
    }

    /// Adds one consumer's gradient to `node`'s: the pointer itself when the
    /// node has one consumer, else a sum in the node's own buffer (always a
    /// copy when `copying`: a shared layer's next call reuses its buffers).
    private func contribute(_ gradient: UnsafePointer<Float>, to node: Int, batch: Int, copying: Bool = false) {
        guard graph.nodes[node].consumers > 1 || copying else { gradients[node] = gradient; return }
        let count = batch * graph.nodes[node].shape.reduce(1, *)
        if gradients[node] == nil {
            let sum = accumulators[node].reserve(count)
            sum.update(from: gradient, count: count)
            gradients[node] = UnsafePointer(sum)
        } else {
            let sum = accumulators[node].pointer
            ParallelChunks.run(count: count, work: 2 * count) { range in
                let part = sum + range.lowerBound
                VectorKernels.add(UnsafePointer(part), gradient + range.lowerBound, into: part, count: range.count)
            }
        }
    }
}
