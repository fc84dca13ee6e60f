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
    private let normalized = ScratchBuffer()
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
        var mean = [Float](repeating: 0, count: c)
        if lastWasTraining {
            let (batchMean, variance) = moments(input, rows: rows, over: lastSync)
            for j in 0..<c {
                mean[j] = batchMean[j]
                inverseStd[j] = 1 / sqrt(variance[j] + epsilon)
                movingMean[j] = movingMean[j] * momentum + mean[j] * (1 - momentum)
                movingVariance[j] = movingVariance[j] * momentum + variance[j] * (1 - momentum)
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

    /// Per-channel mean and biased variance of the batch from its sums and
    /// sums of squares in `Double` (so E[x²] − E[x]² keeps its precision):
    /// this process's `rows`, or with `sync` the global batch's, the sums and
    /// row counts of every process added in one collective. Both paths use
    /// the same formula, so N processes and one differ only in the order of sums.
    private func moments(_ input: UnsafePointer<Float>, rows: Int,
                         over sync: BatchStatisticsSync?) -> (mean: [Float], variance: [Float]) {
        let c = channels
        // [Σx per channel, Σx² per channel, rows]
        var totals = [Double](repeating: 0, count: 2 * c + 1)
        for r in 0..<rows {
            for j in 0..<c { let x = Double(input[r * c + j]); totals[j] += x; totals[c + j] += x * x }
        }
        totals[2 * c] = Double(rows)
        sync?.sum(&totals)
        let count = max(totals[2 * c], 1)
        lastCount = count
        let mean = (0..<c).map { totals[$0] / count }
        return (mean.map(Float.init), (0..<c).map { Float(max(totals[c + $0] / count - mean[$0] * mean[$0], 0)) })
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let c = channels
        let rows = batch * outputSize / c
        let xhat = normalized.pointer
        // [Σdy per channel, Σdy·x̂ per channel], in Double: the sums cancel
        // to nearly zero, and their rounding would otherwise depend on the batch's split.
        var totals = [Double](repeating: 0, count: 2 * c)
        for r in 0..<rows {
            for j in 0..<c {
                let dy = Double(gradOutput[r * c + j])
                totals[j] += dy
                totals[c + j] += dy * Double(xhat[r * c + j])
            }
        }
        let gamma = parameters[0].value.pointer
        // This process's share: the gradient reducer sums the parameter gradients over processes.
        for j in 0..<c {
            parameters[0].gradient.pointer[j] = Float(totals[c + j])
            parameters[1].gradient.pointer[j] = Float(totals[j])
        }
        guard needsInputGradient else { return nil }
        // The input gradient needs the global batch's sums.
        lastSync?.sum(&totals)
        let sumDy = totals[..<c].map(Float.init), sumDyXhat = totals[c...].map(Float.init)
        let dInput = gradInput.reserve(rows * c)
        if let lastSync, !lastSync.contributes {
            // A placeholder sample: nothing flows back from it.
            dInput.update(repeating: 0, count: rows * c)
            return UnsafePointer(dInput)
        }
        let m = Float(lastCount)
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
