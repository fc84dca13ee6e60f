/// A loss over a batch: the mean over samples of each sample's (weighted)
/// loss, Keras's `sum_over_batch_size` reduction.
public protocol Loss: Sendable {
    /// Keras's name, used in logs (`categorical_crossentropy`...).
    var name: String { get }

    /// Number of target values per sample for a model of `outputWidth` outputs
    /// (1 for sparse labels).
    func targetWidth(outputWidth: Int) -> Int

    /// Loss of one sample (`predictions` and `targets` of that sample);
    /// writes d(loss)/d(predictions) when `gradient` is non-nil.
    /// - Complexity: O(width).
    func sampleLoss(predictions: UnsafePointer<Float>, targets: UnsafePointer<Float>, width: Int,
                    gradient: UnsafeMutablePointer<Float>?) -> Double

    /// The loss to compute from the values under `activation` instead, when
    /// Keras does so (see `LogitsOutput`): a cross-entropy from
    /// probabilities after the softmax or sigmoid it expects becomes the same
    /// cross-entropy from logits. Nil otherwise (the default).
    func logitsForm(after activation: ActivationFunction) -> (any Loss)?
}

/// Keras's clipping constant for probabilities.
let probabilityEpsilon: Float = 1e-7

extension Loss {
    public func targetWidth(outputWidth: Int) -> Int { outputWidth }

    public func logitsForm(after activation: ActivationFunction) -> (any Loss)? { nil }

    /// Mean weighted loss over `batch` samples; `gradient` (batch × width)
    /// receives d(mean loss)/d(predictions).
    public func batchLoss(predictions: UnsafePointer<Float>, targets: UnsafePointer<Float>,
                          weights: UnsafePointer<Float>?, batch: Int, width: Int,
                          gradient: UnsafeMutablePointer<Float>?) -> Double {
        let targetWidth = targetWidth(outputWidth: width)
        var total = 0.0
        for n in 0..<batch {
            let g = gradient.map { $0 + n * width }
            let loss = sampleLoss(predictions: predictions + n * width, targets: targets + n * targetWidth,
                                  width: width, gradient: g)
            let w = weights.map { $0[n] } ?? 1
            total += loss * Double(w)
            if let g {
                let scale = w / Float(batch)
                for j in 0..<width { g[j] *= scale }
            }
        }
        return total / Double(max(batch, 1))
    }

    /// Mean loss of whole tensors (predictions N×K); a convenience for tests.
    public func value(predictions: Tensor, targets: Tensor) -> Double {
        let batch = predictions.shape.first ?? 0
        return predictions.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer { t in
                batchLoss(predictions: p.baseAddress!, targets: t.baseAddress!, weights: nil,
                          batch: batch, width: predictions.count / max(batch, 1), gradient: nil)
            }
        }
    }
}
