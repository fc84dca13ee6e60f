import Testing
@testable import Training

/// The convolution layers against Keras 3 (TensorFlow backend): same
/// weights, same input, same output and one-step gradients within 1e-4
/// (relative above 1, absolute below), and the same weight names and shapes.
@Suite struct KerasConvolutionParityTests {
    static let fixtures = (try? KerasFixture.all()) ?? []

    @Test func everyFixtureLoads() throws {
        #expect(try KerasFixture.all().count == 14)
    }

    @Test(arguments: fixtures) func matchesKeras(_ fixture: KerasFixture) throws {
        let layer = try fixture.makeLayer()
        let batch = fixture.input_shape[0]
        let outputShape = try layer.build(inputShape: Array(fixture.input_shape.dropFirst()), seed: 1)
        #expect(layer.typeName == fixture.class_name)
        #expect([batch] + outputShape == fixture.output_shape)
        #expect(layer.parameters.map(\.name) == fixture.weights.map(\.name))
        #expect(layer.parameters.map(\.shape) == fixture.weights.map(\.shape))
        for (position, parameter) in layer.parameters.enumerated() {
            parameter.value.pointer.update(from: KerasFixture.weight(parameter.count, position: position), count: parameter.count)
        }
        let x = KerasFixture.input(fixture.input_shape.reduce(1, *))
        let r = KerasFixture.outputGradient(fixture.output.count)
        let (output, inputGradient) = x.withUnsafeBufferPointer { px in
            let y = layer.forward(px.baseAddress!, batch: batch, context: ForwardContext(training: true))
            let output = Array(UnsafeBufferPointer(start: y, count: fixture.output.count))
            let dx = r.withUnsafeBufferPointer { layer.backward($0.baseAddress!, batch: batch, needsInputGradient: true)! }
            return (output, Array(UnsafeBufferPointer(start: dx, count: x.count)))
        }
        Self.expectClose(output, fixture.output, "\(fixture) output")
        Self.expectClose(inputGradient, fixture.input_gradient, "\(fixture) d/dinput")
        for (parameter, expected) in zip(layer.parameters, fixture.weight_gradients) {
            Self.expectClose(parameter.gradient.array(count: parameter.count), expected, "\(fixture) d/d\(parameter.name)")
        }
    }

    static func expectClose(_ actual: [Float], _ expected: [Float], _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, Keras \(expected.count)", sourceLocation: sourceLocation)
        let worst = zip(actual, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= 1e-4, "\(what): error \(worst)", sourceLocation: sourceLocation)
    }
}
