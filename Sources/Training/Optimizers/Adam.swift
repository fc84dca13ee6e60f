import Foundation

/// Adam as Keras implements it: `m = β1·m + (1−β1)·g`, `v = β2·v + (1−β2)·g²`,
/// `w −= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)`.
///
/// ```swift
/// let adam = try Adam(learningRate: 1e-3)
/// ```
public final class Adam: Optimizer {
    public let name = "Adam"
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    public let weightDecay: Float
    private let slots = OptimizerSlots(perParameter: 2)
    private var iterations = 0

    /// Keras defaults; throws on out-of-range rates, betas or epsilon.
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-7, weightDecay: Float = 0) throws {
        try require(learningRate > 0, "learningRate", learningRate, "must be positive")
        try require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "must lie in [0, 1)")
        try require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "must lie in [0, 1)")
        try require(epsilon > 0, "epsilon", epsilon, "must be positive")
        try require(weightDecay >= 0, "weightDecay", weightDecay, "must be ≥ 0")
        self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func update(_ parameters: [Parameter]) {
        iterations += 1
        let t = Double(iterations)
        let alpha = Float(Double(learningRate) * sqrt(1 - pow(Double(beta2), t)) / (1 - pow(Double(beta1), t)))
        for parameter in parameters {
            decay(parameter)
            let state = slots.slots(for: parameter)
            let w = parameter.value.pointer, g = parameter.gradient.pointer
            let m = state[0].pointer, v = state[1].pointer
            let (beta1, beta2, epsilon) = (beta1, beta2, epsilon)
            // Element-wise, so chunking changes no result.
            ParallelChunks.run(count: parameter.count, work: 4 * parameter.count) { range in
                for i in range {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                    w[i] -= alpha * m[i] / (v[i].squareRoot() + epsilon)
                }
            }
        }
    }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try OptimizerValues.state(of: self, iterations: iterations, slots: slots, context: context)
    }

    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        iterations = try OptimizerValues.restore(self, slots: slots, from: state, context: context)
    }
}
