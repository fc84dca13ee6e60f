import Foundation
import Testing
import TestSupport
@testable import Training

/// Soft targets (what MixUp and CutMix make of labels) through the losses, the metrics and the
/// trainer, and Keras's `label_smoothing`.
@Suite struct SoftTargetTests {
    let logits: [Float] = [1.5, -0.3, 0.7, 2.0, 0.1, -1.2]
    let probabilities: [Float] = [0.2, 0.5, 0.3, 0.1, 0.1, 0.8]
    /// Rows of a mixed batch: 0.3 of one class and 0.7 of another, and a CutMix-like 0.85/0.15.
    let soft: [Float] = [0.3, 0.7, 0, 0, 0.15, 0.85]

    /// d(loss)/d(predictions) with soft targets and label smoothing, against central differences.
    @Test func gradientsWithSoftTargetsMatchFiniteDifferences() {
        let cases: [(any Loss, [Float])] = [
            (CategoricalCrossentropy(fromLogits: true), logits),
            (CategoricalCrossentropy(), probabilities),
            (CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.1), logits),
            (CategoricalCrossentropy(labelSmoothing: 0.2), probabilities),
            (SparseCategoricalCrossentropy(fromLogits: true).softForm, logits),
        ]
        for (loss, predictions) in cases {
            var p = predictions
            func value() -> Double { loss.value(predictions: Tensor(shape: [2, 3], scalars: p), targets: Tensor(shape: [2, 3], scalars: soft)) }
            var analytic = [Float](repeating: 0, count: 6)
            _ = p.withUnsafeBufferPointer { pp in
                soft.withUnsafeBufferPointer { t in
                    analytic.withUnsafeMutableBufferPointer { g in
                        loss.batchLoss(predictions: pp.baseAddress!, targets: t.baseAddress!, weights: nil, batch: 2,
                                       width: 3, gradient: g.baseAddress!)
                    }
                }
            }
            let mismatches = GradientChecker(step: 1e-3, tolerance: 1e-2)
                .mismatches(analytic: analytic, read: { p[$0] }, write: { p[$0] = $1 }, loss: value)
            #expect(mismatches.isEmpty, "\(loss) \(mismatches)")
            #expect(analytic.contains { abs($0) > 1e-3 })
        }
    }

    /// Values of `keras.losses.CategoricalCrossentropy(label_smoothing=…)` (Keras 3.15):
    /// from logits, ε = 0.1, targets [[0.2, 0.8, 0], [0, 0, 1]] → 2.543001413345337;
    /// from probabilities, ε = 0.2, one-hot [[0, 1, 0], [0, 0, 1]] → 0.6443454027175903.
    @Test func labelSmoothingMatchesKeras() {
        let fromLogits = CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.1).value(
            predictions: Tensor(shape: [2, 3], scalars: logits), targets: Tensor(shape: [2, 3], scalars: [0.2, 0.8, 0, 0, 0, 1]))
        #expect(abs(fromLogits - 2.543001413345337) < 1e-5)
        let fromProbabilities = CategoricalCrossentropy(labelSmoothing: 0.2).value(
            predictions: Tensor(shape: [2, 3], scalars: probabilities), targets: Tensor(shape: [2, 3], scalars: [0, 1, 0, 0, 0, 1]))
        #expect(abs(fromProbabilities - 0.6443454027175903) < 1e-5)
        // The logits form a softmax head computes keeps the smoothing.
        let head = CategoricalCrossentropy(labelSmoothing: 0.2).logitsForm(after: .softmax) as? CategoricalCrossentropy
        #expect(head?.labelSmoothing == 0.2 && head?.fromLogits == true)
    }

    /// Keras's `CategoricalAccuracy` on soft targets compares argmaxes: 0.5 for these rows.
    @Test func accuracyOfSoftTargetsIsTheArgmaxMatch() {
        let targets: [Float] = [0.3, 0.7, 0, 0.6, 0, 0.4]
        let predictions: [Float] = [0.1, 0.8, 0.1, 0.2, 0.1, 0.7]
        let correct = predictions.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer {
                Accuracy.categorical.correctCount(predictions: p.baseAddress!, targets: $0.baseAddress!, batch: 2, width: 3)
            }
        }
        #expect(correct == 1)
    }

    @Test func softTargetsAreRecognisedByShape() {
        #expect(SparseCategoricalCrossentropy.areSoft(Tensor(shape: [4, 3]), samples: 4, classes: 3))
        #expect(!SparseCategoricalCrossentropy.areSoft(Tensor(shape: [4]), samples: 4, classes: 3))
        #expect(!SparseCategoricalCrossentropy.areSoft(Tensor(shape: [4, 1]), samples: 4, classes: 1))
        #expect(!SparseCategoricalCrossentropy.areSoft(Tensor(shape: [3, 3]), samples: 4, classes: 3))
    }

    /// A model compiled with the sparse loss trains and evaluates on soft targets exactly as its
    /// twin compiled with categorical cross-entropy, and still on sparse labels.
    @Test func sparseLossTrainsOnSoftTargetsLikeCategorical() throws {
        let data = Synthetic.halves(count: 8, seed: 4)
        var mixed = data.y.scalars
        for row in 0..<8 { (mixed[row * 2], mixed[row * 2 + 1]) = (mixed[row * 2] * 0.7 + 0.15, mixed[row * 2 + 1] * 0.7 + 0.15) }
        let softBatch = Batch(inputs: data.x, targets: Tensor(shape: [8, 2], scalars: mixed))
        let sparse = try Synthetic.model(seed: 5), categorical = try Synthetic.model(seed: 5)
        sparse.compile(optimizer: try SGD(learningRate: 0.1), loss: SparseCategoricalCrossentropy(), metrics: [.automatic])
        categorical.compile(optimizer: try SGD(learningRate: 0.1), loss: CategoricalCrossentropy(), metrics: [.automatic])
        let a = try sparse.trainStep(softBatch), b = try categorical.trainStep(softBatch)
        #expect(a == b)
        #expect(sparse.trainableParameters.map { Array(UnsafeBufferPointer(start: $0.value.pointer, count: $0.count)) }
                == categorical.trainableParameters.map { Array(UnsafeBufferPointer(start: $0.value.pointer, count: $0.count)) })
        let labels = Tensor(shape: [8], scalars: (0..<8).map { Float(data.y.scalars[$0 * 2 + 1]) })
        let onLabels = try sparse.evaluate(x: data.x, y: labels), onOneHot = try categorical.evaluate(x: data.x, y: data.y)
        #expect(abs(onLabels["loss"]! - onOneHot["loss"]!) < 1e-6)
        #expect(onLabels["accuracy"] == onOneHot["accuracy"])
    }
}
