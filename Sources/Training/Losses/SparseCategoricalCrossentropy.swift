/// Categorical cross-entropy with integer class labels (targets N or N×1,
/// stored as `Float`s 0, 1, 2...). Labels outside [0, classes) count as a
/// bad batch (``SparseCategoricalCrossentropy/checkLabels(_:classes:)``).
///
/// Soft targets, N×K class probabilities (what MixUp and CutMix make of the labels), are
/// accepted too: for such a batch the trainer computes ``softForm``, the categorical
/// cross-entropy, and accuracy compares argmaxes, so a pipeline that mixes its training batches
/// keeps its sparse loss and its sparse validation labels.
public struct SparseCategoricalCrossentropy: Loss {
    public let fromLogits: Bool
    public let name = "sparse_categorical_crossentropy"

    /// `fromLogits`: the model outputs raw scores, not a softmax.
    public init(fromLogits: Bool = false) { self.fromLogits = fromLogits }

    /// From logits after a softmax, as Keras computes it.
    public func logitsForm(after activation: ActivationFunction) -> (any Loss)? {
        !fromLogits && activation == .softmax ? SparseCategoricalCrossentropy(fromLogits: true) : nil
    }

    public func targetWidth(outputWidth: Int) -> Int { 1 }

    /// The loss of soft targets: categorical cross-entropy from the same kind of output.
    public var softForm: CategoricalCrossentropy { CategoricalCrossentropy(fromLogits: fromLogits) }

    /// Whether `targets` are soft, N × `classes` probabilities, rather than N labels (`classes > 1`).
    public static func areSoft(_ targets: Tensor, samples: Int, classes: Int) -> Bool {
        classes > 1 && targets.shape == [samples, classes]
    }

    public func sampleLoss(predictions p: UnsafePointer<Float>, targets t: UnsafePointer<Float>, width: Int,
                           gradient: UnsafeMutablePointer<Float>?) -> Double {
        let label = Int(t[0])
        let target: (Int) -> Float = { $0 == label ? 1 : 0 }
        return fromLogits
            ? CategoricalCrossentropy.fromLogits(p, target: target, width: width, gradient: gradient)
            : CategoricalCrossentropy.fromProbabilities(p, target: target, width: width, gradient: gradient)
    }

    /// Throws unless every label is an integer in [0, classes).
    public static func checkLabels(_ labels: Tensor, classes: Int) throws {
        for (i, v) in labels.scalars.enumerated() where v != v.rounded() || v < 0 || Int(v) >= classes {
            throw TrainingError.badBatch(reason: "sparse label \(v) at sample \(i) is not a class in 0..<\(classes)")
        }
    }
}
