/// Updates trainable parameters from their gradients, in place.
///
/// Optimisers keep per-parameter state (momenta) keyed by the parameter
/// object; `learningRate` is mutable so callbacks can schedule it. A checkpoint
/// holds its name, learning rate, step count and moments (``Checkpointable``).
public protocol Optimizer: AnyObject, Checkpointable {
    /// Keras's class name (`Adam`, `SGD`, `RMSprop`).
    var name: String { get }
    /// Step size of the next updates.
    var learningRate: Float { get set }
    /// Decoupled weight decay: before each update, `w -= w · weightDecay · learningRate`
    /// (Keras 3's `weight_decay`); 0 disables it.
    var weightDecay: Float { get }
    /// Applies one step to each parameter (all trainable).
    /// - Complexity: O(total parameter count).
    func update(_ parameters: [Parameter])
}

/// Per-parameter slot buffers of an optimiser, created zeroed on first use.
final class OptimizerSlots {
    private var slots: [ObjectIdentifier: [ScratchBuffer]] = [:]
    private let perParameter: Int

    init(perParameter: Int) { self.perParameter = perParameter }

    /// The slots of `parameter`, each with `parameter.count` zeros initially.
    func slots(for parameter: Parameter) -> [ScratchBuffer] {
        if let existing = slots[ObjectIdentifier(parameter)] { return existing }
        let created = (0..<perParameter).map { _ in ScratchBuffer(count: parameter.count) }
        slots[ObjectIdentifier(parameter)] = created
        return created
    }

    /// The slots created so far as tensors `slot<k>/<parameter name>`, for the named parameters of `model`.
    func tensors(of model: Model) -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        for (name, parameter) in model.namedParameters() {
            guard let buffers = slots[ObjectIdentifier(parameter)] else { continue }
            for (k, buffer) in buffers.enumerated() {
                tensors["slot\(k)/\(name)"] = Tensor(shape: parameter.shape, scalars: buffer.array(count: parameter.count))
            }
        }
        return tensors
    }

    /// Replaces every slot by the tensors of ``tensors(of:)`` (a parameter without them gets fresh zeros).
    func restore(_ tensors: [String: Tensor], of model: Model) throws {
        slots = [:]
        var used = 0
        for (name, parameter) in model.namedParameters() {
            let saved = (0..<perParameter).map { tensors["slot\($0)/\(name)"] }
            if saved.allSatisfy({ $0 == nil }) { continue }
            let buffers = self.slots(for: parameter)
            for (buffer, tensor) in zip(buffers, saved) {
                guard let tensor, tensor.shape == parameter.shape else {
                    throw TrainingError.checkpoint(reason: "the optimiser's moments of '\(name)' are missing or not of shape \(parameter.shape)")
                }
                tensor.withUnsafeBufferPointer { buffer.pointer.update(from: $0.baseAddress!, count: parameter.count) }
                used += 1
            }
        }
        guard used == tensors.count else {
            throw TrainingError.checkpoint(reason: "\(tensors.count - used) optimiser moments belong to no parameter of the model")
        }
    }
}

/// The scalars of an optimiser's checkpoint piece.
struct OptimizerValues: Codable {
    var name: String
    /// The rate as a `Double` (a `Float` converts exactly both ways).
    var learningRate: Double
    /// Updates applied so far (Adam's bias correction), 0 where unused.
    var iterations: Int

    /// The state of `optimizer` with its `slots`.
    static func state(of optimizer: any Optimizer, iterations: Int = 0, slots: OptimizerSlots,
                      context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: OptimizerValues(name: optimizer.name, learningRate: Double(optimizer.learningRate),
                                                    iterations: iterations),
                            tensors: slots.tensors(of: context.model))
    }

    /// Restores `optimizer`'s rate and `slots` from `state`; returns the iterations.
    static func restore(_ optimizer: any Optimizer, slots: OptimizerSlots, from state: CheckpointState,
                        context: TrainingContext) throws -> Int {
        let values = try state.values(OptimizerValues.self)
        guard values.name == optimizer.name else {
            throw TrainingError.checkpoint(reason: "it was taken with optimiser \(values.name), this run uses \(optimizer.name)")
        }
        try slots.restore(state.tensors, of: context.model)
        optimizer.learningRate = Float(values.learningRate)
        return values.iterations
    }
}

extension Optimizer {
    /// Applies decoupled weight decay to `parameter`.
    func decay(_ parameter: Parameter) {
        guard weightDecay > 0 else { return }
        let w = parameter.value.pointer
        let factor = 1 - weightDecay * learningRate
        for i in 0..<parameter.count { w[i] *= factor }
    }
}
