/// RMSprop as Keras 3: `v = ρ·v + (1−ρ)·g²`, `w −= lr · g / √(v + ε)`.
public final class RMSprop: Optimizer {
    public let name = "RMSprop"
    public var learningRate: Float
    public let rho: Float, epsilon: Float
    public let weightDecay: Float
    private let slots = OptimizerSlots(perParameter: 1)

    /// Keras defaults; throws on out-of-range values.
    public init(learningRate: Float = 1e-3, rho: Float = 0.9, epsilon: Float = 1e-7, weightDecay: Float = 0) throws {
        try require(learningRate > 0, "learningRate", learningRate, "must be positive")
        try require(rho >= 0 && rho < 1, "rho", rho, "must lie in [0, 1)")
        try require(epsilon > 0, "epsilon", epsilon, "must be positive")
        try require(weightDecay >= 0, "weightDecay", weightDecay, "must be ≥ 0")
        self.learningRate = learningRate
        self.rho = rho; self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func update(_ parameters: [Parameter]) {
        for parameter in parameters {
            decay(parameter)
            let w = parameter.value.pointer, g = parameter.gradient.pointer
            let v = slots.slots(for: parameter)[0].pointer
            for i in 0..<parameter.count {
                v[i] = rho * v[i] + (1 - rho) * g[i] * g[i]
                w[i] -= learningRate * g[i] / (v[i] + epsilon).squareRoot()
            }
        }
    }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try OptimizerValues.state(of: self, slots: slots, context: context)
    }

    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        _ = try OptimizerValues.restore(self, slots: slots, from: state, context: context)
    }
}
