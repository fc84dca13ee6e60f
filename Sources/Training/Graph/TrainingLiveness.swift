/// Which node outputs a training pass need not keep for its backward pass.
///
/// Training keeps an activation when a backward pass that will run reads it:
/// its producer's (a ReLU's mask from its output) or a consumer's (a
/// convolution's weight gradient from its input), see ``BackwardReads``.
/// Every other output — a batch normalisation's output read only by a
/// ReLU or an `Add`, the sum of a residual block, a padding read by a
/// pooling — is *transient*: the graph runner takes it from an arena and
/// gives it back once the last node reading it has run forward, and the
/// backward pass takes its gradients from the same arena. A ResNet50
/// block then keeps what PyTorch's in-place ReLUs keep (each convolution's
/// output and each ReLU's), not also the normalisations' and the sum.
enum TrainingLiveness {
    /// For each node, whether its output is transient in a training pass
    /// whose nodes need gradients as `requires` says. Never: model inputs,
    /// model outputs and their inputs (a loss reads a head's logits), nodes
    /// of a shared layer and their inputs (their backward re-runs forward).
    static func transientOutputs(of graph: Graph, requires: [Bool]) -> [Bool] {
        let nodes = graph.nodes
        var transient = nodes.indices.map { index in
            guard let layer = nodes[index].layer else { return false }
            return !graph.sharedNodes.contains(index) && !(requires[index] && reads(layer).output)
        }
        for output in graph.outputs {
            transient[output] = false
            for input in nodes[output].inputs { transient[input] = false }
        }
        for (index, node) in nodes.enumerated() {
            guard let layer = node.layer else { continue }
            // A layer that does not say may also hand its input on as its output (Flatten,
            // Reshape, a nested model), which a later backward pass may read: its inputs stay.
            let keepsInputs = !(layer is any BackwardReads)
                || requires[index] && (graph.sharedNodes.contains(index) || reads(layer).inputs)
            guard keepsInputs else { continue }
            for input in node.inputs { transient[input] = false }
        }
        return transient
    }

    /// What `layer`'s backward pass reads; both for a layer that does not say.
    /// (Layers that say write their outputs to buffers of their own, never their inputs'.)
    static func reads(_ layer: any Layer) -> (inputs: Bool, output: Bool) {
        guard let known = layer as? any BackwardReads else { return (true, true) }
        return (known.backwardReadsInputs, known.backwardReadsOutput)
    }
}
