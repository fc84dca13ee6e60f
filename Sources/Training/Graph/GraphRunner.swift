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
    /// The activations of training passes that need no gradient (see ``forward(_:batch:context:inputsNeedGradient:)``).
    let frozenArena = ActivationArena()
    /// Fused kernels by their second node, made once (nil: the pair is not supported).
    private var poolings: [Int: ConvolutionPooling?] = [:]
    /// Folded chains by their last node.
    private var foldings: [Int: ConvolutionBatchNormalization?] = [:]
    /// Copies and re-runs for the nodes of shared layers.
    private let shared: SharedLayerCalls
    /// Fused residual convolutions by their ReLU node.
    private var residuals: [Int: ConvolutionResidual?] = [:]

    init(graph: Graph) {
        self.graph = graph
        values = .init(repeating: nil, count: graph.nodes.count)
        gradients = .init(repeating: nil, count: graph.nodes.count)
        requires = .init(repeating: false, count: graph.nodes.count)
        shared = SharedLayerCalls(graph: graph)
    }

    /// The outputs for `batch` samples, one pointer per model output, valid
    /// until the next forward. `inputsNeedGradient` says whether the backward
    /// pass that follows will ask for the inputs' gradients (kernels that
    /// cannot give them are then not used).
    func forward(_ inputs: [UnsafePointer<Float>], batch: Int, context: ForwardContext,
                 inputsNeedGradient: Bool) -> [UnsafePointer<Float>] {
        var context = context
        if !context.foldsAreCurrent {
            // Weights may have changed since the last pass: folded kernels are made again.
            WeightGeneration.advance()
            context.foldsAreCurrent = true
        }
        for (node, pointer) in zip(graph.inputs, inputs) { values[node] = pointer }
        self.inputsNeedGradient = inputsNeedGradient
        requires = context.training ? graph.requiresGradient(inputsNeedGradient: inputsNeedGradient)
                                    : .init(repeating: false, count: graph.nodes.count)
        steps = GraphFusion.steps(of: graph, pooling: { self.pooling($0, $1) },
                                  folding: { self.folding($0, training: context.training) },
                                  residual: { self.residual($0) })
        if context.training, context.arena == nil, !requires.contains(true) {
            // A training pass with no backward work here (a frozen base): nothing needs to
            // keep its activations, so they come from an arena planned by liveness as in inference.
            frozenArena.reset()
            context.arena = frozenArena
        }
        trainingArena = nil
        if context.training, context.arena == nil, requires.contains(true), !keepsEveryActivation {
            // Outputs no backward pass reads come from the backward pass's arena (TrainingLiveness).
            transient = TrainingLiveness.transientOutputs(of: graph, requires: requires)
            gradientArena.reset()
            trainingArena = gradientArena
        }
        readers = [:]
        if context.arena ?? trainingArena != nil {
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
                settle(pooling, reading: [source], arena: context.arena ?? trainingArena)
            case let .foldedChain(folded, chain):
                let source = graph.nodes[chain.convolution].inputs[0]
                for node in chain.nodes { values[node] = nil }
                let residual = chain.add.map { values[$0.residual]! }
                values[chain.last] = folded.forward(values[source]!, residual: residual, batch: batch, context: context)
                settle(chain.last, reading: [source] + (chain.add.map { [$0.residual] } ?? []),
                       arena: context.arena ?? trainingArena)
            case let .residualChain(fused, chain):
                let source = graph.nodes[chain.convolution].inputs[0]
                for node in chain.nodes { values[node] = nil }
                values[chain.activation] = fused.forward(values[source]!, residual: values[chain.residual]!, batch: batch,
                                                         context: context)
                settle(chain.activation, reading: [source, chain.residual], arena: context.arena ?? trainingArena)
            }
        }
        return graph.outputs.map { values[$0]! }
    }

    /// Readers still to come of each activation buffer in this pass (several
    /// nodes may share one: Flatten and Reshape pass their input through).
    private var readers: [UnsafePointer<Float>: Int] = [:]
    /// In a training pass with backward work: the arena of the outputs no
    /// backward pass reads (the backward pass's own), and which nodes those are.
    private var trainingArena: ActivationArena?
    private var transient: [Bool] = []
    /// Keeps every activation of a training pass in its layer's buffer (the
    /// plain path, which tests compare the transient outputs with).
    var keepsEveryActivation = false

    /// In a pass with an arena (inference, or training with transient
    /// outputs), books `node`'s output and its reading of `inputs`: an input
    /// whose last reader this was goes back to the arena (if the arena lent
    /// it: the activations a training pass keeps are the layers' own).
    /// Model outputs and the inputs of output nodes (a head's logits) are
    /// never returned within the pass.
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

    /// The folded chain, when the normalisation uses its moving statistics
    /// and no node of the chain needs a gradient.
    private func folding(_ chain: FoldChain, training: Bool) -> ConvolutionBatchNormalization? {
        let norm = graph.nodes[chain.normalization].layer as! BatchNormalization
        guard !chain.nodes.contains(where: { requires[$0] }), !training || !norm.trainable else { return nil }
        if let made = foldings[chain.last] { return made }
        let made = ConvolutionBatchNormalization(graph.nodes[chain.convolution].layer as! any FoldableConvolution, norm,
                                                 activation: chain.activation?.function ?? .none,
                                                 addsResidual: chain.add != nil)
        foldings[chain.last] = made
        return made
    }

    /// The fused residual convolution of `chain`, made once.
    private func residual(_ chain: ResidualChain) -> ConvolutionResidual? {
        if let made = residuals[chain.activation] { return made }
        let made = ConvolutionResidual(graph.nodes[chain.convolution].layer as! Conv2D)
        residuals[chain.activation] = made
        return made
    }

    private func run(_ index: Int, batch: Int, context: ForwardContext) {
        let node = graph.nodes[index]
        var nodeContext = context.forNode(named: node.name)
        nodeContext.needsInputGradient = node.inputs.contains { requires[$0] }
        if let trainingArena, transient[index] { nodeContext.arena = trainingArena }
        let inputs = node.inputs.map { values[$0]! }
        values[index] = node.layer!.forward(inputs, batch: batch, context: nodeContext)
        if graph.sharedNodes.contains(index) {
            values[index] = shared.keep(values[index]!, of: index, reading: inputs, batch: batch, context: nodeContext)
        }
        settle(index, reading: node.inputs, arena: context.arena ?? trainingArena)
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
        gradientArena.reset()
        holders = [:]
        for (node, gradient) in zip(graph.outputs, outputGradients) where requires[node] {
            contribute(gradient, to: node, batch: batch)
        }
        let logitsNode = throughLogits ? graph.outputs[0] : nil
        BackwardArena.$current.withValue(gradientArena) {
            walkBackward(batch: batch, logitsNode: logitsNode, finished: finished)
        }
        return graph.inputs.map { inputsNeedGradient ? gradients[$0] : nil }
    }

    /// The steps of ``backward(_:batch:throughLogits:finished:)`` in reverse order.
    private func walkBackward(batch: Int, logitsNode: Int?, finished: ((Int) -> Void)?) {
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
                retire(gradient, produced: results)
            case let .reluConvolutionPooling(convolution, pooling):
                guard requires[pooling], let gradient = gradients[pooling] else { continue }
                let conv = graph.nodes[convolution].layer as! Conv2D
                let pool = graph.nodes[pooling].layer as! MaxPooling2D
                let input = graph.nodes[convolution].inputs[0]
                let pooled = pool.backward(gradient, batch: batch, throughReLU: true)
                let result = pooled.flatMap {
                    conv.backward(preActivationGradient: $0, batch: batch, needsInputGradient: requires[input])
                }
                if requires[input], let result { contribute(result, to: input, batch: batch) }
                retire(gradient, produced: [result, pooled])
            case let .convolutionPooling(fused, _, pooling):
                guard requires[pooling], let gradient = gradients[pooling] else { continue }
                fused.backward(gradient, batch: batch)
                retire(gradient, produced: [])
            case .foldedChain:
                continue  // folded only when no node of the chain needs a gradient
            case let .residualChain(fused, chain):
                guard requires[chain.activation], let gradient = gradients[chain.activation] else { continue }
                let input = graph.nodes[chain.convolution].inputs[0]
                let results = fused.backward(gradient, batch: batch, needsInputGradient: requires[input])
                if requires[chain.residual] { contribute(results.residual, to: chain.residual, batch: batch) }
                if requires[input], let result = results.input { contribute(result, to: input, batch: batch) }
                retire(gradient, produced: [results.residual, results.input])
            }
        }
    }

    /// The backward pass's gradients from ``BackwardArena`` (and, before
    /// them, the training pass's transient outputs), and how many
    /// nodes hold each as their gradient (a layer may hand the same buffer
    /// to several inputs, as `Add` does).
    let gradientArena = ActivationArena()
    private var holders: [UnsafePointer<Float>: Int] = [:]

    /// After a step: its node's gradient `incoming` has been read, and the
    /// gradients it `produced` have been handed on (or copied into a sum, or
    /// dropped); each buffer no node holds any more goes back to the arena
    /// (buffers the arena did not lend are ignored).
    private func retire(_ incoming: UnsafePointer<Float>, produced: [UnsafePointer<Float>?]) {
        let left = (holders[incoming] ?? 1) - 1
        holders[incoming] = left > 0 ? left : nil
        if left <= 0 { gradientArena.release(incoming) }
        for case let pointer? in produced where holders[pointer] == nil { gradientArena.release(pointer) }
    }

    /// Adds one consumer's gradient to `node`'s: the pointer itself when the
    /// node has one consumer, else a sum in a buffer of the backward pass's
    /// arena, returned once the node's own backward has run (always a copy
    /// when `copying`: a shared layer's next call reuses its buffers).
    private func contribute(_ gradient: UnsafePointer<Float>, to node: Int, batch: Int, copying: Bool = false) {
        guard graph.nodes[node].consumers > 1 || copying else {
            gradients[node] = gradient
            holders[gradient, default: 0] += 1
            return
        }
        let count = batch * graph.nodes[node].shape.reduce(1, *)
        if gradients[node] == nil {
            let sum = gradientArena.take(count)
            sum.update(from: gradient, count: count)
            gradients[node] = UnsafePointer(sum)
            holders[UnsafePointer(sum)] = 1
        } else {
            let sum = UnsafeMutablePointer(mutating: gradients[node]!)
            ParallelChunks.run(count: count, work: 2 * count) { range in
                let part = sum + range.lowerBound
                VectorKernels.add(UnsafePointer(part), gradient + range.lowerBound, into: part, count: range.count)
            }
        }
    }
}
