/// Stochastic gradient descent with optional (Nesterov) momentum, as Keras:
/// `v = momentum·v − lr·g; w += v` (Nesterov: `w += momentum·v − lr·g`).
///
/// ```swift
/// let sgd = try SGD(learningRate: 0.01, momentum: 0.9, nesterov: true)
/// ```
public final class SGD: Optimizer {
    public let name = "SGD"
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private let slots = OptimizerSlots(perParameter: 1)

    /// Keras defaults; throws on a non-positive rate or momentum outside [0, 1).
    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) throws {
        try require(learningRate > 0, "learningRate", learningRate, "must be positive")
        try require(momentum >= 0 && momentum < 1, "momentum", momentum, "must lie in [0, 1)")
        try require(weightDecay >= 0, "weightDecay", weightDecay, "must be ≥ 0")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func update(_ parameters: [Parameter]) {
        for parameter in parameters {
            decay(parameter)
            let w = parameter.value.pointer, g = parameter.gradient.pointer
            if momentum == 0 {
                for i in 0..<parameter.count { w[i] -= learningRate * g[i] }
                continue
            }
            let v = slots.slots(for: parameter)[0].pointer
            for i in 0..<parameter.count {
                v[i] = momentum * v[i] - learningRate * g[i]
                w[i] += nesterov ? momentum * v[i] - learningRate * g[i] : v[i]
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
