import Foundation

/// Cross-entropy against one-hot (or soft) targets.
///
/// From probabilities (`fromLogits: false`, after a softmax) the predictions
/// are renormalised to sum 1 and clipped to [1e-7, 1 − 1e-7] as Keras does;
/// from logits the loss is `logsumexp(z) − Σ t·z`, stable for any `z`.
public struct CategoricalCrossentropy: Loss {
    public let fromLogits: Bool
    public let name = "categorical_crossentropy"

    /// `fromLogits`: the model outputs raw scores, not a softmax.
    public init(fromLogits: Bool = false) { self.fromLogits = fromLogits }

    /// From logits after a softmax, as Keras computes it.
    public func logitsForm(after activation: ActivationFunction) -> (any Loss)? {
        !fromLogits && activation == .softmax ? CategoricalCrossentropy(fromLogits: true) : nil
    }

    public func sampleLoss(predictions p: UnsafePointer<Float>, targets t: UnsafePointer<Float>, width: Int,
                           gradient: UnsafeMutablePointer<Float>?) -> Double {
        fromLogits
            ? CategoricalCrossentropy.fromLogits(p, target: { t[$0] }, width: width, gradient: gradient)
            : CategoricalCrossentropy.fromProbabilities(p, target: { t[$0] }, width: width, gradient: gradient)
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
