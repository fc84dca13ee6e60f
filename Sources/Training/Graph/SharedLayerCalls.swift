/// The bookkeeping of a ``GraphRunner`` for shared layers: one layer object
/// called by several nodes.
///
/// A layer keeps the state of its last call (its output buffer, the input
/// it read, what its backward pass needs). So the runner keeps a copy of
/// every shared node's output, and before a shared node's backward pass
/// whose layer last ran for another node, runs that node's forward again on
/// its kept inputs (same context, so dropout draws the same mask; the
/// layer's statistics, such as batch normalisation's moving averages, are
/// put back as they were). Each call's backward overwrites the parameter
/// gradients, so the calls' gradients are summed here.
final class SharedLayerCalls {
    private let graph: Graph
    private var outputs: [Int: ScratchBuffer] = [:]
    /// The node each shared layer last ran for.
    private var lastCall: [ObjectIdentifier: Int] = [:]
    /// Each shared node's forward context, for running it again.
    private var contexts: [Int: ForwardContext] = [:]
    /// Layers whose backward already ran in this backward pass.
    private var summed: Set<ObjectIdentifier> = []

    init(graph: Graph) { self.graph = graph }

    /// Node `index`'s `output` in a buffer of its own (from the pass's arena
    /// in inference; the layer's own is given back to it), remembering its
    /// context for the backward pass.
    func keep(_ output: UnsafePointer<Float>, of index: Int, reading inputs: [UnsafePointer<Float>], batch: Int,
              context: ForwardContext) -> UnsafePointer<Float> {
        let node = graph.nodes[index]
        lastCall[ObjectIdentifier(node.layer!)] = index
        contexts[index] = context
        let count = batch * node.shape.reduce(1, *)
        let copy: UnsafeMutablePointer<Float>
        if let arena = context.arena {
            copy = arena.take(count)
        } else {
            let buffer = outputs[index] ?? ScratchBuffer()
            outputs[index] = buffer
            copy = buffer.reserve(count)
        }
        copy.update(from: output, count: count)
        if let arena = context.arena, !inputs.contains(output) { arena.release(output) }
        return UnsafePointer(copy)
    }

    /// Before a backward pass.
    func startBackward() { summed = [] }

    /// Node `index`'s backward pass (see the type's rules).
    func backward(_ index: Int, gradient: UnsafePointer<Float>, inputs: [UnsafePointer<Float>], batch: Int,
                  needsInputGradients: [Bool]) -> [UnsafePointer<Float>?] {
        let layer = graph.nodes[index].layer!
        let id = ObjectIdentifier(layer)
        if lastCall[id] != index {
            let statistics = layer.parameters.filter { !$0.isTrainable }.map { ($0, $0.value.array(count: $0.count)) }
            _ = layer.forward(inputs, batch: batch, context: contexts[index]!)
            for (parameter, values) in statistics { parameter.assign(values) }
            lastCall[id] = index
        }
        let parameters = layer.trainableParameters
        let earlier = summed.contains(id) ? parameters.map { $0.gradient.array(count: $0.count) } : nil
        let results = layer.backward(gradient, batch: batch, needsInputGradients: needsInputGradients)
        if let earlier {
            for (parameter, values) in zip(parameters, earlier) {
                let sum = parameter.gradient.pointer
                for i in values.indices { sum[i] += values[i] }
            }
        }
        summed.insert(id)
        return results
    }
}
