import Testing
import TestSupport
@testable import Training

/// Finite-difference checks of layers through `GradientChecker`: the scalar
/// L = Σ output ⊙ R (R fixed random) has d L / d output = R, so a layer's
/// backward(R) must match central differences of L with respect to its inputs
/// and parameters.
enum GradientCheck {
    /// Deterministic values in [-scale, scale).
    static func values(_ count: Int, key: UInt64, scale: Float = 1) -> [Float] {
        (0..<count).map { (CounterRandom.uniform(key: key, counter: UInt64($0)) * 2 - 1) * scale }
    }

    static func weightedSum(_ p: UnsafePointer<Float>, _ r: [Float]) -> Double {
        var s = 0.0
        for i in r.indices { s += Double(p[i]) * Double(r[i]) }
        return s
    }

    /// Checks d/d input and d/d every trainable parameter of `layer`.
    static func check(_ layer: any Layer, inputShape: [Int], batch: Int = 2, training: Bool = true,
                      step: Float = 1e-2, tolerance: Float = 2e-2, inputs: [Float]? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outShape = try layer.build(inputShape: inputShape, seed: 7)
        let inCount = batch * inputShape.reduce(1, *)
        let outCount = batch * outShape.reduce(1, *)
        var x = inputs ?? values(inCount, key: 1)
        let r = values(outCount, key: 2)
        let context = ForwardContext(training: training, seed: 3, step: 5, layerIndex: 1)
        func loss() -> Double {
            x.withUnsafeBufferPointer { weightedSum(layer.forward($0.baseAddress!, batch: batch, context: context), r) }
        }
        _ = loss()
        let analyticInput: [Float] = x.withUnsafeBufferPointer { px in
            _ = layer.forward(px.baseAddress!, batch: batch, context: context)
            return r.withUnsafeBufferPointer { pr in
                let g = layer.backward(pr.baseAddress!, batch: batch, needsInputGradient: true)!
                return Array(UnsafeBufferPointer(start: g, count: inCount))
            }
        }
        let analyticParameters = layer.parameters.filter(\.isTrainable).map { $0.gradient.array(count: $0.count) }
        let checker = GradientChecker(step: step, tolerance: tolerance)
        let inputMismatches = checker.mismatches(analytic: analyticInput, read: { x[$0] }, write: { x[$0] = $1 }, loss: loss)
        #expect(inputMismatches.isEmpty, "\(layer.typeName) d/dx: \(inputMismatches)", sourceLocation: sourceLocation)
        for (p, parameter) in layer.parameters.filter(\.isTrainable).enumerated() {
            let w = parameter.value.pointer
            let mismatches = checker.mismatches(analytic: analyticParameters[p], read: { w[$0] }, write: { w[$0] = $1 },
                                                loss: loss)
            #expect(mismatches.isEmpty, "\(layer.typeName) d/d\(parameter.name): \(mismatches)",
                    sourceLocation: sourceLocation)
        }
    }
}
