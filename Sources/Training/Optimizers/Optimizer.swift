/// Updates trainable parameters from their gradients, in place.
///
/// Optimisers keep per-parameter state (momenta) keyed by the parameter
/// object; `learningRate` is mutable so callbacks can schedule it.
public protocol Optimizer: AnyObject {
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
