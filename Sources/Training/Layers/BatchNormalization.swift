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
    private let normalized = ScratchBuffer()
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
        var mean = [Float](repeating: 0, count: c)
        if lastWasTraining {
            var variance = [Double](repeating: 0, count: c)
            var sums = [Double](repeating: 0, count: c)
            for r in 0..<rows { for j in 0..<c { sums[j] += Double(input[r * c + j]) } }
            for j in 0..<c { mean[j] = Float(sums[j] / Double(rows)) }
            for r in 0..<rows {
                for j in 0..<c { let d = Double(input[r * c + j] - mean[j]); variance[j] += d * d }
            }
            for j in 0..<c {
                let v = Float(variance[j] / Double(rows))
                inverseStd[j] = 1 / sqrt(v + epsilon)
                movingMean[j] = movingMean[j] * momentum + mean[j] * (1 - momentum)
                movingVariance[j] = movingVariance[j] * momentum + v * (1 - momentum)
            }
        } else {
            for j in 0..<c { mean[j] = movingMean[j]; inverseStd[j] = 1 / sqrt(movingVariance[j] + epsilon) }
        }
        let out = context.output(rows * c, else: output)
        let xhat = normalized.reserve(rows * c)
        for r in 0..<rows {
            for j in 0..<c {
                let n = (input[r * c + j] - mean[j]) * inverseStd[j]
                xhat[r * c + j] = n
                out[r * c + j] = gamma[j] * n + beta[j]
            }
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let c = channels
        let rows = batch * outputSize / c
        let xhat = normalized.pointer
        var sumDy = [Float](repeating: 0, count: c), sumDyXhat = [Float](repeating: 0, count: c)
        for r in 0..<rows {
            for j in 0..<c {
                sumDy[j] += gradOutput[r * c + j]
                sumDyXhat[j] += gradOutput[r * c + j] * xhat[r * c + j]
            }
        }
        let gamma = parameters[0].value.pointer
        parameters[0].gradient.pointer.update(from: sumDyXhat, count: c)
        parameters[1].gradient.pointer.update(from: sumDy, count: c)
        guard needsInputGradient else { return nil }
        let dInput = gradInput.reserve(rows * c)
        let m = Float(rows)
        for r in 0..<rows {
            for j in 0..<c {
                let dy = gradOutput[r * c + j]
                if lastWasTraining {
                    dInput[r * c + j] = gamma[j] * inverseStd[j] / m
                        * (m * dy - sumDy[j] - xhat[r * c + j] * sumDyXhat[j])
                } else {
                    dInput[r * c + j] = gamma[j] * inverseStd[j] * dy
                }
            }
        }
        return UnsafePointer(dInput)
    }
}
