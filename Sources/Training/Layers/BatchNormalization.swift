import Foundation

/// Batch normalisation over the last (channel) axis, as Keras's
/// `BatchNormalization(axis=-1)`.
///
/// Training: normalises with the batch mean and (biased) variance and moves
/// `moving = moving · momentum + batch · (1 − momentum)`. Inference, and any
/// pass while `trainable` is false (Keras's rule for frozen bases): uses the
/// moving statistics. Parameters: `gamma`, `beta` (trainable),
/// `moving_mean`, `moving_variance` (non-trainable).
public final class BatchNormalization: UnaryLayer {
    public let typeName = "BatchNormalization"
    public var name: String
    public var trainable = true
    public private(set) var parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    public let momentum: Float
    public let epsilon: Float
    private var channels = 0
    private let output = ScratchBuffer()
    /// The last forward pass's input and mean: the backward pass recomputes
    /// the normalised values from them rather than keeping a copy.
    private var lastInput: UnsafePointer<Float>?
    private var mean: [Float] = []
    private let gradInput = ScratchBuffer()
    private var inverseStd: [Float] = []
    private var lastWasTraining = false

    /// Keras defaults: momentum 0.99, epsilon 1e-3.
    public init(momentum: Float = 0.99, epsilon: Float = 1e-3, name: String = "") throws {
        try require(momentum >= 0 && momentum <= 1, "momentum", momentum, "must lie in [0, 1]")
        try require(epsilon > 0, "epsilon", epsilon, "must be positive")
        self.momentum = momentum
        self.epsilon = epsilon
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard let c = inputShape.last, c > 0 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "needs a channel axis")
        }
        if channels != 0 {
            guard c == channels else {
                throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "already built for \(channels) channels")
            }
        } else {
            channels = c
            parameters = [
                Parameter(name: "gamma", shape: [c], initialValues: .init(repeating: 1, count: c)),
                Parameter(name: "beta", shape: [c], initialValues: .init(repeating: 0, count: c)),
                Parameter(name: "moving_mean", shape: [c], isTrainable: false, initialValues: .init(repeating: 0, count: c)),
                Parameter(name: "moving_variance", shape: [c], isTrainable: false, initialValues: .init(repeating: 1, count: c)),
            ]
            inverseStd = .init(repeating: 0, count: c)
        }
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let c = channels
        let rows = batch * outputSize / c
        let gamma = parameters[0].value.pointer, beta = parameters[1].value.pointer
        let movingMean = parameters[2].value.pointer, movingVariance = parameters[3].value.pointer
        lastWasTraining = context.training && trainable
        mean = [Float](repeating: 0, count: c)
        if lastWasTraining {
            var variance = [Float](repeating: 0, count: c)
            NormalizationKernels.statistics(input, rows: rows, channels: c, mean: &mean, variance: &variance)
            for j in 0..<c {
                let v = variance[j]
                inverseStd[j] = 1 / sqrt(v + epsilon)
                movingMean[j] = movingMean[j] * momentum + mean[j] * (1 - momentum)
                movingVariance[j] = movingVariance[j] * momentum + v * (1 - momentum)
            }
        } else {
            for j in 0..<c { mean[j] = movingMean[j]; inverseStd[j] = 1 / sqrt(movingVariance[j] + epsilon) }
        }
        let out = context.output(rows * c, else: output)
        NormalizationKernels.apply(input, rows: rows, channels: c, mean: mean, inverseStd: inverseStd, gamma: gamma,
                                   beta: beta, xhat: nil, into: out)
        lastInput = input
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let c = channels
        let rows = batch * outputSize / c
        let x = lastInput!
        var sumDy = [Float](repeating: 0, count: c), sumDyXhat = [Float](repeating: 0, count: c)
        NormalizationKernels.gradientSums(gradOutput, x: x, mean: mean, inverseStd: inverseStd, rows: rows, channels: c,
                                          sumDy: &sumDy, sumDyXhat: &sumDyXhat)
        let gamma = parameters[0].value.pointer
        parameters[0].gradient.pointer.update(from: sumDyXhat, count: c)
        parameters[1].gradient.pointer.update(from: sumDy, count: c)
        guard needsInputGradient else { return nil }
        let dInput = BackwardArena.gradient(rows * c, else: gradInput)
        NormalizationKernels.inputGradient(gradOutput, x: x, mean: mean, rows: rows, channels: c, gamma: gamma,
                                           inverseStd: inverseStd, sumDy: sumDy, sumDyXhat: sumDyXhat,
                                           batchStatistics: lastWasTraining, into: dInput)
        return UnsafePointer(dInput)
    }
}
