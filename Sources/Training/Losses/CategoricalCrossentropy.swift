import Foundation

/// Cross-entropy against one-hot (or soft) targets.
///
/// From probabilities (`fromLogits: false`, after a softmax) the predictions
/// are renormalised to sum 1 and clipped to [1e-7, 1 − 1e-7] as Keras does;
/// from logits the loss is `logsumexp(z) − Σ t·z`, stable for any `z`.
///
/// `labelSmoothing` ε replaces each target row `t` by `t·(1 − ε) + ε/K` over the `K` outputs
/// before the loss, as Keras's `label_smoothing` does.
///
/// ```swift
/// let loss = CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.1)
/// ```
public struct CategoricalCrossentropy: Loss {
    public let fromLogits: Bool
    /// Keras's `label_smoothing`, in [0, 1].
    public let labelSmoothing: Float
    public let name = "categorical_crossentropy"

    /// `fromLogits`: the model outputs raw scores, not a softmax.
    /// - Precondition: `labelSmoothing` is in [0, 1].
    public init(fromLogits: Bool = false, labelSmoothing: Float = 0) {
        precondition((0...1).contains(labelSmoothing), "label smoothing must be in [0, 1], got \(labelSmoothing)")
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
    }

    /// From logits after a softmax, as Keras computes it.
    public func logitsForm(after activation: ActivationFunction) -> (any Loss)? {
        !fromLogits && activation == .softmax ? CategoricalCrossentropy(fromLogits: true, labelSmoothing: labelSmoothing) : nil
    }

    public func sampleLoss(predictions p: UnsafePointer<Float>, targets t: UnsafePointer<Float>, width: Int,
                           gradient: UnsafeMutablePointer<Float>?) -> Double {
        let keep = 1 - labelSmoothing, spread = labelSmoothing / Float(max(width, 1))
        let target: (Int) -> Float = labelSmoothing == 0 ? { t[$0] } : { t[$0] * keep + spread }
        return fromLogits
            ? CategoricalCrossentropy.fromLogits(p, target: target, width: width, gradient: gradient)
            : CategoricalCrossentropy.fromProbabilities(p, target: target, width: width, gradient: gradient)
    }

    /// −Σ t log softmax(z), with gradient softmax(z)·Σt − t.
    static func fromLogits(_ z: UnsafePointer<Float>, target: (Int) -> Float, width: Int,
                           gradient: UnsafeMutablePointer<Float>?) -> Double {
        var peak = -Float.infinity
        for j in 0..<width { peak = max(peak, z[j]) }
        var sum = 0.0
        for j in 0..<width { sum += Double(exp(z[j] - peak)) }
        let logSumExp = Double(peak) + log(sum)
        var loss = 0.0, targetSum: Float = 0
        for j in 0..<width {
            let tj = target(j)
            loss -= Double(tj) * (Double(z[j]) - logSumExp)
            targetSum += tj
        }
        if let gradient {
            for j in 0..<width {
                gradient[j] = Float(exp(Double(z[j]) - logSumExp)) * targetSum - target(j)
            }
        }
        return loss
    }

    /// −Σ t log clip(p / Σp), with the exact gradient of that expression.
    static func fromProbabilities(_ p: UnsafePointer<Float>, target: (Int) -> Float, width: Int,
                                  gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total: Float = 0
        for j in 0..<width { total += p[j] }
        let s = max(total, .leastNormalMagnitude)
        var loss = 0.0, active: Float = 0
        for j in 0..<width {
            let q = p[j] / s
            let clipped = min(max(q, probabilityEpsilon), 1 - probabilityEpsilon)
            loss -= Double(target(j)) * log(Double(clipped))
            if clipped == q { active += target(j) }
        }
        if let gradient {
            for j in 0..<width {
                let q = p[j] / s
                let inside = q >= probabilityEpsilon && q <= 1 - probabilityEpsilon
                gradient[j] = (active - (inside ? target(j) / q : 0)) / s
            }
        }
        return loss
    }
}
