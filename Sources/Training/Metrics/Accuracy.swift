/// Accuracy metrics, as Keras's `accuracy` family.
public enum Accuracy: Sendable, Equatable {
    /// Chosen from the loss as Keras's `"accuracy"` string does: sparse for
    /// sparse cross-entropy, binary for binary cross-entropy, else categorical.
    case automatic
    /// argmax(prediction) == argmax(one-hot target).
    case categorical
    /// argmax(prediction) == integer label.
    case sparseCategorical
    /// (prediction > threshold) == target, averaged over outputs.
    case binary(threshold: Float = 0.5)

    /// The concrete form for a loss.
    public func resolved(for loss: any Loss) -> Accuracy {
        guard self == .automatic else { return self }
        switch loss {
        case is SparseCategoricalCrossentropy: return .sparseCategorical
        case let bce as BinaryCrossentropy: return .binary(threshold: bce.fromLogits ? 0 : 0.5)
        default: return .categorical
        }
    }

    /// Sum over `batch` samples of each sample's accuracy (0...1).
    /// - Complexity: O(batch · width).
    public func correctCount(predictions p: UnsafePointer<Float>, targets t: UnsafePointer<Float>,
                             batch: Int, width: Int) -> Double {
        var correct = 0.0
        for n in 0..<batch {
            let row = p + n * width
            switch self {
            case .categorical, .automatic:
                correct += Accuracy.argmax(row, width) == Accuracy.argmax(t + n * width, width) ? 1 : 0
            case .sparseCategorical:
                correct += Accuracy.argmax(row, width) == Int(t[n]) ? 1 : 0
            case let .binary(threshold):
                var hits = 0
                for j in 0..<width where (row[j] > threshold) == (t[n * width + j] > 0.5) { hits += 1 }
                correct += Double(hits) / Double(width)
            }
        }
        return correct
    }

    static func argmax(_ v: UnsafePointer<Float>, _ width: Int) -> Int {
        var best = 0
        for j in 1..<max(width, 1) where v[j] > v[best] { best = j }
        return best
    }
}
