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

    /// Checks d/d input and d/d every trainable parameter of a one-input `layer`.
    static func check(_ layer: any Layer, inputShape: [Int], batch: Int = 2, training: Bool = true,
                      step: Float = 1e-2, tolerance: Float = 2e-2, inputs: [Float]? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        try check(layer, inputShapes: [inputShape], batch: batch, training: training, step: step, tolerance: tolerance,
                  inputs: inputs.map { [$0] }, sourceLocation: sourceLocation)
    }

    /// Checks d/d each input and d/d every trainable parameter of `layer`.
    static func check(_ layer: any Layer, inputShapes: [[Int]], batch: Int = 2, training: Bool = true,
                      step: Float = 1e-2, tolerance: Float = 2e-2, inputs: [[Float]]? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outShape = try layer.build(inputShapes: inputShapes, seed: 7)
        let inCounts = inputShapes.map { batch * $0.reduce(1, *) }
        let outCount = batch * outShape.reduce(1, *)
        var xs = inputs ?? inCounts.enumerated().map { values($1, key: 1 + 10 * UInt64($0)) }
        let r = values(outCount, key: 2)
        var context = ForwardContext(training: training, seed: 3, epoch: 5, sampleOffset: 1, streamKey: 9)
        context.needsInputGradient = true
        func withInputs<R>(_ body: ([UnsafePointer<Float>]) -> R) -> R {
            let copies = xs.map { x -> UnsafeMutablePointer<Float> in
                let p = UnsafeMutablePointer<Float>.allocate(capacity: x.count)
                p.initialize(from: x, count: x.count)
                return p
            }
            defer { for p in copies { p.deallocate() } }
            return body(copies.map { UnsafePointer($0) })
        }
        func loss() -> Double {
            withInputs { weightedSum(layer.forward($0, batch: batch, context: context), r) }
        }
        _ = loss()
        let analyticInputs: [[Float]] = withInputs { pointers in
            _ = layer.forward(pointers, batch: batch, context: context)
            return r.withUnsafeBufferPointer { pr in
                let grads = layer.backward(pr.baseAddress!, batch: batch, needsInputGradients: inputShapes.map { _ in true })
                return zip(grads, inCounts).map { Array(UnsafeBufferPointer(start: $0!, count: $1)) }
            }
        }
        let analyticParameters = layer.parameters.filter(\.isTrainable).map { $0.gradient.array(count: $0.count) }
        let checker = GradientChecker(step: step, tolerance: tolerance)
        for input in xs.indices {
            let mismatches = checker.mismatches(analytic: analyticInputs[input], read: { xs[input][$0] },
                                                write: { xs[input][$0] = $1 }, loss: loss)
            #expect(mismatches.isEmpty, "\(layer.typeName) d/dx\(input): \(mismatches)", sourceLocation: sourceLocation)
        }
        for (p, parameter) in layer.parameters.filter(\.isTrainable).enumerated() {
            let w = parameter.value.pointer
            let mismatches = checker.mismatches(analytic: analyticParameters[p], read: { w[$0] }, write: { w[$0] = $1 },
                                                loss: loss)
            #expect(mismatches.isEmpty, "\(layer.typeName) d/d\(parameter.name): \(mismatches)",
                    sourceLocation: sourceLocation)
        }
    }
}
