import Foundation

/// Binary cross-entropy, averaged over the last axis (multi-label outputs).
///
/// From probabilities the predictions are clipped to [1e-7, 1 − 1e-7] as in
/// Keras; from logits the loss is `max(z, 0) − z·t + log(1 + e^−|z|)`.
public struct BinaryCrossentropy: Loss {
    public let fromLogits: Bool
    public let name = "binary_crossentropy"

    /// `fromLogits`: the model outputs raw scores, not sigmoids.
    public init(fromLogits: Bool = false) { self.fromLogits = fromLogits }

    /// From logits after a sigmoid, as Keras computes it.
    public func logitsForm(after activation: ActivationFunction) -> (any Loss)? {
        !fromLogits && activation == .sigmoid ? BinaryCrossentropy(fromLogits: true) : nil
    }

    public func sampleLoss(predictions p: UnsafePointer<Float>, targets t: UnsafePointer<Float>, width: Int,
                           gradient: UnsafeMutablePointer<Float>?) -> Double {
        var loss = 0.0
        let scale = 1 / Float(width)
        for j in 0..<width {
            let tj = Double(t[j])
            if fromLogits {
                let z = Double(p[j])
                loss += max(z, 0) - z * tj + log1p(exp(-abs(z)))
                gradient?[j] = (ActivationFunction.sigmoid(p[j]) - t[j]) * scale
            } else {
                let clipped = min(max(p[j], probabilityEpsilon), 1 - probabilityEpsilon)
                let q = Double(clipped)
                loss -= tj * log(q) + (1 - tj) * log(1 - q)
                gradient?[j] = clipped == p[j] ? Float((-tj / q + (1 - tj) / (1 - q))) * scale : 0
            }
        }
        return loss / Double(width)
    }
}
