import CPUBudget

extension Model {
    /// Buffers a training step of `batchSize` samples holds per node: its output, the gradient
    /// flowing back into it, and one scratch buffer (a pre-activation, a mask, an im2col panel).
    public static let activationCopiesInTraining = 3

    /// Estimated bytes of the activations of one training step of `batchSize` samples: every
    /// node's output shape × ``activationCopiesInTraining`` Floats (saturating, never trapping).
    /// Compare with `MemoryLimit.current` before `fit` allocates them.
    public func trainingActivationBytes(batchSize: Int) -> Int {
        var perSample = 0
        for layer in layers {
            let (sum, overflow) = perSample.addingReportingOverflow(MemoryLimit.product(layer.outputShape))
            if overflow { return .max }
            perSample = sum
        }
        return MemoryLimit.product([perSample, batchSize, MemoryLayout<Float>.size, Self.activationCopiesInTraining])
    }
}
