import Foundation

/// Batch normalisation over the last (channel) axis, as Keras's
/// `BatchNormalization(axis=-1)`.
///
/// Training: normalises with the batch mean and (biased) variance and moves
/// `moving = moving · momentum + batch · (1 − momentum)`. Inference, and any
/// pass while `trainable` is false (Keras's rule for frozen bases): uses the
/// moving statistics. Parameters: `gamma`, `beta` (trainable),
/// `moving_mean`, `moving_variance` (non-trainable).
///
/// In a data-parallel run each process normalises with the statistics of its
/// own share of the global batch, as PyTorch's DDP does, unless the layer is
/// ``synchronized`` (Keras's `synchronized=True`, PyTorch's `SyncBatchNorm`):
/// then training passes use the statistics of the global batch, and the
/// backward pass the global sums of dy and dy·x̂, so every process takes
/// the step one process would take on the whole batch, and the moving
/// statistics agree on every process.
///
/// ```swift
/// let normalization = try BatchNormalization(synchronized: true)
/// model.synchronizeBatchNormalization()       // or every layer of a built model
/// ```
public final class BatchNormalization: UnaryLayer {
    public let typeName = "BatchNormalization"
    public var name: String
    public var trainable = true
    public private(set) var parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    public let momentum: Float
    public let epsilon: Float
    /// Whether training passes of a data-parallel run normalise with the
    /// global batch's statistics (summed over processes) instead of this
    /// process's. No effect in one process, or while the layer uses its moving statistics.
    public var synchronized: Bool
    private var channels = 0
    private let output = ScratchBuffer()
    /// The last forward pass's input and mean: the backward pass recomputes
    /// the normalised values from them rather than keeping a copy.
    private var lastInput: UnsafePointer<Float>?
    private var mean: [Float] = []
    private let gradInput = ScratchBuffer()
    private var inverseStd: [Float] = []
    private var lastWasTraining = false
    /// The collective of the last forward pass when it was synchronised (its backward sums too).
    private var lastSync: BatchStatisticsSync?
    /// Rows (samples × positions) the last training pass's statistics were taken over, all processes together.
    private var lastCount = 0.0

    /// Keras defaults: momentum 0.99, epsilon 1e-3, not synchronised.
    public init(momentum: Float = 0.99, epsilon: Float = 1e-3, synchronized: Bool = false, name: String = "") throws {
        try require(momentum >= 0 && momentum <= 1, "momentum", momentum, "must lie in [0, 1]")
        try require(epsilon > 0, "epsilon", epsilon, "must be positive")
        self.momentum = momentum
        self.epsilon = epsilon
        self.synchronized = synchronized
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
        lastSync = lastWasTraining && synchronized ? context.batchStatistics : nil
        mean = [Float](repeating: 0, count: c)
        if lastWasTraining {
            var variance = [Float](repeating: 0, count: c)
            if let lastSync {
                (mean, variance) = globalMoments(input, rows: rows, over: lastSync)
            } else {
                NormalizationKernels.statistics(input, rows: rows, channels: c, mean: &mean, variance: &variance)
                lastCount = Double(rows)
            }
            for j in 0..<c {
                inverseStd[j] = 1 / sqrt(variance[j] + epsilon)
                movingMean[j] = movingMean[j] * momentum + mean[j] * (1 - momentum)
                movingVariance[j] = movingVariance[j] * momentum + variance[j] * (1 - momentum)
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

    /// Per-channel mean and biased variance of the global batch from the sums
    /// and sums of squares in `Double` (so E[x²] − E[x]² keeps its precision)
    /// and the row counts of every process, added in one collective.
    private func globalMoments(_ input: UnsafePointer<Float>, rows: Int,
                               over sync: BatchStatisticsSync) -> (mean: [Float], variance: [Float]) {
        let c = channels
        // [Σx per channel, Σx² per channel, rows]
        var totals = [Double](repeating: 0, count: 2 * c + 1)
        for r in 0..<rows {
            for j in 0..<c { let x = Double(input[r * c + j]); totals[j] += x; totals[c + j] += x * x }
        }
        totals[2 * c] = Double(rows)
        sync.sum(&totals)
        let count = max(totals[2 * c], 1)
        lastCount = count
        let mean = (0..<c).map { totals[$0] / count }
        return (mean.map(Float.init), (0..<c).map { Float(max(totals[c + $0] / count - mean[$0] * mean[$0], 0)) })
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let c = channels
        let rows = batch * outputSize / c
        let x = lastInput!
        var sumDy = [Float](repeating: 0, count: c), sumDyXhat = [Float](repeating: 0, count: c)
        NormalizationKernels.gradientSums(gradOutput, x: x, mean: mean, inverseStd: inverseStd, rows: rows, channels: c,
                                          sumDy: &sumDy, sumDyXhat: &sumDyXhat)
        let gamma = parameters[0].value.pointer
        // This process's share: the gradient reducer sums the parameter gradients over processes.
        parameters[0].gradient.pointer.update(from: sumDyXhat, count: c)
        parameters[1].gradient.pointer.update(from: sumDy, count: c)
        guard needsInputGradient else { return nil }
        let dInput = BackwardArena.gradient(rows * c, else: gradInput)
        if let lastSync {
            // The input gradient needs the global batch's sums.
            var totals = (sumDy + sumDyXhat).map(Double.init)
            lastSync.sum(&totals)
            guard lastSync.contributes else {
                // A placeholder sample: nothing flows back from it.
                dInput.update(repeating: 0, count: rows * c)
                return UnsafePointer(dInput)
            }
            sumDy = totals[..<c].map(Float.init)
            sumDyXhat = totals[c...].map(Float.init)
        }
        NormalizationKernels.inputGradient(gradOutput, x: x, mean: mean, rows: rows, count: Float(lastCount), channels: c,
                                           gamma: gamma, inverseStd: inverseStd, sumDy: sumDy, sumDyXhat: sumDyXhat,
                                           batchStatistics: lastWasTraining, into: dInput)
        return UnsafePointer(dInput)
    }
}
