import Testing
import TestSupport
@testable import Training

/// Finite differences of a compiled model's loss against the gradients of
/// its backward pass, for every trainable parameter: the check for graphs
/// (fan-out, merges, nested and frozen models) rather than single layers.
enum ModelGradientCheck {
    static func check(_ model: Model, batch: Batch, step: Float = 1e-2, tolerance: Float = 2e-2,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let trainer = try #require(model.trainer)
        let parameters = model.trainableParameters
        for parameter in parameters { parameter.gradient.zero(parameter.count) }
        _ = try trainer.lossAndMetrics(batch, context: ForwardContext(training: true), backward: true)
        // Training-mode losses (batch statistics, as the analytic gradient has them).
        func loss() throws -> Double {
            try trainer.lossAndMetrics(batch, context: ForwardContext(training: true), backward: false).loss
        }
        let analytic = parameters.map { $0.gradient.array(count: $0.count) }
        #expect(analytic.joined().contains { $0 != 0 }, "no gradient reached the parameters", sourceLocation: sourceLocation)
        let checker = GradientChecker(step: step, tolerance: tolerance)
        for (p, parameter) in parameters.enumerated() {
            let w = parameter.value.pointer
            let mismatches = try checker.mismatches(analytic: analytic[p], read: { w[$0] }, write: { w[$0] = $1 }, loss: loss)
            #expect(mismatches.isEmpty, "\(parameter.name): \(mismatches)", sourceLocation: sourceLocation)
        }
    }

    /// Two samples of `shape` and one-hot targets over `classes`.
    static func batch(shape: [Int], classes: Int, key: UInt64 = 21) -> Batch {
        let count = 2 * shape.reduce(1, *)
        var targets = [Float](repeating: 0, count: 2 * classes)
        targets[0] = 1
        targets[2 * classes - 1] = 1
        return Batch(inputs: Tensor(shape: [2] + shape, scalars: GradientCheck.values(count, key: key)),
                     targets: Tensor(shape: [2, classes], scalars: targets))
    }
}
