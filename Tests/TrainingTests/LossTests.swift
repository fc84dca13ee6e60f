import Foundation
import Testing
import TestSupport
@testable import Training

@Suite struct LossTests {
    /// Central differences of the batch loss against its analytic gradient.
    func checkGradient(_ loss: any Loss, predictions: [Float], targets: [Float], batch: Int, weights: [Float]? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let width = predictions.count / batch
        let weights = weights.map { Tensor(shape: [$0.count], scalars: $0) }
        var p = predictions
        func value() -> Double {
            p.withUnsafeBufferPointer { pp in
                targets.withUnsafeBufferPointer { tp in
                    weights.withUnsafeOptionalPointer { wp in
                        loss.batchLoss(predictions: pp.baseAddress!, targets: tp.baseAddress!, weights: wp,
                                       batch: batch, width: width, gradient: nil)
                    }
                }
            }
        }
        var analytic = [Float](repeating: 0, count: p.count)
        _ = p.withUnsafeBufferPointer { pp in
            targets.withUnsafeBufferPointer { tp in
                weights.withUnsafeOptionalPointer { wp in
                    analytic.withUnsafeMutableBufferPointer { g in
                        loss.batchLoss(predictions: pp.baseAddress!, targets: tp.baseAddress!, weights: wp,
                                       batch: batch, width: width, gradient: g.baseAddress!)
                    }
                }
            }
        }
        let mismatches = GradientChecker(step: 1e-3, tolerance: 1e-2)
            .mismatches(analytic: analytic, read: { p[$0] }, write: { p[$0] = $1 }, loss: value)
        #expect(mismatches.isEmpty, "\(loss.name): \(mismatches)", sourceLocation: sourceLocation)
    }

    let probabilities: [Float] = [0.2, 0.5, 0.3, 0.1, 0.1, 0.8]
    let oneHot: [Float] = [0, 1, 0, 0, 0, 1]
    let logits: [Float] = [1.5, -0.3, 0.7, 2.0, 0.1, -1.2]

    @Test func categoricalGradients() {
        checkGradient(CategoricalCrossentropy(), predictions: probabilities, targets: oneHot, batch: 2)
        checkGradient(CategoricalCrossentropy(), predictions: probabilities, targets: oneHot, batch: 2, weights: [0.5, 2])
        checkGradient(CategoricalCrossentropy(fromLogits: true), predictions: logits, targets: [0.2, 0.8, 0, 0, 0, 1], batch: 2)
        checkGradient(SparseCategoricalCrossentropy(), predictions: probabilities, targets: [1, 2], batch: 2)
        checkGradient(SparseCategoricalCrossentropy(fromLogits: true), predictions: logits, targets: [0, 2], batch: 2)
    }

    @Test func binaryAndSquaredGradients() {
        let p: [Float] = [0.3, 0.9, 0.6, 0.2]
        let t: [Float] = [0, 1, 1, 0]
        checkGradient(BinaryCrossentropy(), predictions: p, targets: t, batch: 2)
        checkGradient(BinaryCrossentropy(fromLogits: true), predictions: [1.2, -0.4, 3, -2], targets: t, batch: 2)
        checkGradient(MeanSquaredError(), predictions: p, targets: [0.5, -1, 2, 0], batch: 2)
    }

    /// Hand-computed values.
    @Test func valuesMatchDefinitions() {
        let cce = CategoricalCrossentropy().value(predictions: Tensor(shape: [2, 3], scalars: probabilities),
                                                  targets: Tensor(shape: [2, 3], scalars: oneHot))
        #expect(abs(cce - (-(log(0.5) + log(0.8)) / 2)) < 1e-6)
        let sparse = SparseCategoricalCrossentropy().value(predictions: Tensor(shape: [2, 3], scalars: probabilities),
                                                           targets: Tensor(shape: [2], scalars: [1, 2]))
        #expect(abs(sparse - cce) < 1e-9)
        let z: [Double] = [1.5, -0.3, 0.7]
        let logSumExp = log(z.map { exp($0) }.reduce(0, +))
        let fromLogits = CategoricalCrossentropy(fromLogits: true).value(
            predictions: Tensor(shape: [1, 3], scalars: [1.5, -0.3, 0.7]), targets: Tensor(shape: [1, 3], scalars: [0, 0, 1]))
        #expect(abs(fromLogits - (logSumExp - 0.7)) < 1e-5)
        let bce = BinaryCrossentropy().value(predictions: Tensor(shape: [1, 2], scalars: [0.3, 0.9]),
                                             targets: Tensor(shape: [1, 2], scalars: [0, 1]))
        #expect(abs(bce - (-(log(0.7) + log(0.9)) / 2)) < 1e-6)
        let mse = MeanSquaredError().value(predictions: Tensor(shape: [1, 2], scalars: [1, 2]),
                                           targets: Tensor(shape: [1, 2], scalars: [0, 0]))
        #expect(abs(mse - 2.5) < 1e-9)
    }

    /// Huge logits stay finite.
    @Test func logitsAreStable() {
        let big = CategoricalCrossentropy(fromLogits: true).value(
            predictions: Tensor(shape: [1, 2], scalars: [1000, -1000]), targets: Tensor(shape: [1, 2], scalars: [0, 1]))
        #expect(abs(big - 2000) < 1e-3)
        let bce = BinaryCrossentropy(fromLogits: true).value(
            predictions: Tensor(shape: [1, 1], scalars: [-500]), targets: Tensor(shape: [1, 1], scalars: [1]))
        #expect(abs(bce - 500) < 1e-3)
    }

    @Test func accuracyForms() {
        let p = Tensor(shape: [2, 3], scalars: probabilities)
        p.withUnsafeBufferPointer { pp in
            let c = oneHot.withUnsafeBufferPointer {
                Accuracy.categorical.correctCount(predictions: pp.baseAddress!, targets: $0.baseAddress!, batch: 2, width: 3)
            }
            #expect(c == 2)
            let s = [Float(0), 2].withUnsafeBufferPointer {
                Accuracy.sparseCategorical.correctCount(predictions: pp.baseAddress!, targets: $0.baseAddress!, batch: 2, width: 3)
            }
            #expect(s == 1)
        }
        let b = [Float(0.7), 0.2].withUnsafeBufferPointer { pp in
            [Float(1), 1].withUnsafeBufferPointer {
                Accuracy.binary().correctCount(predictions: pp.baseAddress!, targets: $0.baseAddress!, batch: 1, width: 2)
            }
        }
        #expect(b == 0.5)
        #expect(Accuracy.automatic.resolved(for: SparseCategoricalCrossentropy()) == .sparseCategorical)
    }
}
