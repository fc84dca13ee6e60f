import Foundation
import Testing
@testable import Training

/// The update rules against reference steps: the first step of each worked out by hand, and three
/// steps against Keras 3.15's own optimizers (`scripts/optimizer_reference_steps.py`, which also
/// checks them against the rules written out in NumPy float64 and prints the constants below).
@Suite struct OptimizerStepTests {
    static let initial: [Float] = [0.5, -1.0, 2.0, 0.0]
    static let gradients: [[Float]] = [[0.1, -0.2, 0.3, -0.4], [-0.5, 0.25, 0.0, 1.0], [0.2, 0.2, -0.1, 0.05]]

    /// The weights after each of the first `gradients.count` updates of one parameter.
    static func steps(_ optimizer: any Optimizer, gradients: [[Float]] = gradients) -> [[Float]] {
        let parameter = Parameter(name: "kernel", shape: [4], initialValues: initial)
        return gradients.map { gradient in
            parameter.gradient.pointer.update(from: gradient, count: gradient.count)
            optimizer.update([parameter])
            return parameter.value.array(count: parameter.count)
        }
    }

    static func expectClose(_ actual: [[Float]], _ expected: [[Float]], _ name: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        for (step, (a, e)) in zip(actual, expected).enumerated() {
            let error = zip(a, e).map { abs($0 - $1) }.max()!
            #expect(error <= 2e-6, "\(name) step \(step + 1): \(a) vs \(e)", sourceLocation: sourceLocation)
        }
    }

    /// First steps in closed form, for w = 0.5 and g = 0.1 (element 0).
    @Test func firstStepsByHand() throws {
        // SGD, Nesterov: v = 0.9·0 − 0.1·0.1 = −0.01; w += 0.9·v − 0.1·g = −0.019 → 0.481.
        #expect(abs(Self.steps(try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true))[0][0] - 0.481) < 1e-7)
        // Adam: m = 0.1g, v = 0.001g², α = lr·√0.001 / 0.1, so w −= lr·|g|·√0.001 / (√0.001·|g| + ε).
        let adamStep = 0.01 * 0.1 * 0.001.squareRoot() / (0.001.squareRoot() * 0.1 + 1e-7)
        #expect(abs(Double(Self.steps(try Adam(learningRate: 0.01))[0][0]) - (0.5 - adamStep)) < 1e-7)
        // RMSprop: v = 0.1g², w −= lr·g / √(v + ε).
        let rmsStep = 0.01 * 0.1 / (0.1 * 0.1 * 0.1 + 1e-7).squareRoot()
        #expect(abs(Double(Self.steps(try RMSprop(learningRate: 0.01))[0][0]) - (0.5 - rmsStep)) < 1e-7)
        // Decoupled decay before the step: w = 0.5·(1 − 0.05·0.1) − 0.1·0.1 = 0.4875.
        #expect(abs(Self.steps(try SGD(learningRate: 0.1, weightDecay: 0.05))[0][0] - 0.4875) < 1e-7)
    }

    @Test func adamMatchesKeras() throws {
        Self.expectClose(Self.steps(try Adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7)), [
            [0.490000397, -0.990000248, 1.99000013, 0.00999985449],
            [0.495983839, -0.991627514, 1.98329973, 0.00557775982],
            [0.497955769, -0.996080339, 1.98040843, 0.00186671899],
        ], "Adam")
    }

    @Test func rmspropMatchesKeras() throws {
        Self.expectClose(Self.steps(try RMSprop(learningRate: 0.01, rho: 0.9, epsilon: 1e-7)), [
            [0.468378812, -0.96837759, 1.96837735, 0.031622678],
            [0.499447227, -0.993567109, 1.96837735, 0.00205706991],
            [0.487344921, -1.01119995, 1.97936034, 0.000500713941],
        ], "RMSprop")
    }

    @Test func sgdWithNesterovMomentumMatchesKeras() throws {
        Self.expectClose(Self.steps(try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)), [
            [0.481000006, -0.962000012, 1.94299996, 0.076000005],
            [0.567900002, -0.993300021, 1.91869998, -0.0815999955],
            [0.563109994, -1.03697002, 1.91583002, -0.142939985],
        ], "SGD Nesterov")
    }

    @Test func weightDecayMatchesKeras() throws {
        Self.expectClose(Self.steps(try SGD(learningRate: 0.1, weightDecay: 0.05)), [
            [0.487500012, -0.975000024, 1.96000004, 0.0400000028],
            [0.535062492, -0.995124996, 1.95020008, -0.0601999983],
            [0.512387216, -1.01014936, 1.95044911, -0.0648989975],
        ], "SGD weight decay")
        Self.expectClose(Self.steps(try Adam(learningRate: 0.01, weightDecay: 0.1)), [
            [0.489500403, -0.989000261, 1.98800015, 0.00999985449],
            [0.494994342, -0.989638507, 1.9793117, 0.00556776021],
            [0.496471286, -0.993101716, 1.97444105, 0.00185115146],
        ], "Adam weight decay")
    }
}
