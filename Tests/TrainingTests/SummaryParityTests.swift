import Foundation
import Testing
import TestSupport
@testable import Training

/// `summary()` against Keras 3's own text for the same models, made by
/// scripts/make_keras_summary_fixtures.py (each model built there exactly as here).
@Suite struct SummaryParityTests {
    private func expectKeras(_ model: Model, _ fixture: String) throws {
        let url = RepositoryFiles.fixture("TrainingTests", "keras-summary/\(fixture).txt")
        let expected = try String(contentsOf: url, encoding: .utf8)
        let lines = model.summary().split(separator: "\n", omittingEmptySubsequences: false)
        let keras = expected.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == keras.count, "\(fixture): \(lines.count) lines, Keras \(keras.count)")
        for (index, (line, reference)) in zip(lines, keras).enumerated() {
            #expect(line == reference, "\(fixture) line \(index + 1)")
        }
    }

    @Test func courseCNN() throws {
        let model = try Sequential(inputShape: [28, 28, 1], layers: [
            Conv2D(filters: 32, kernelSize: (3, 3), activation: .relu), MaxPooling2D(),
            Conv2D(filters: 64, kernelSize: (3, 3), activation: .relu), MaxPooling2D(),
            Conv2D(filters: 64, kernelSize: (3, 3), activation: .relu), Flatten(),
            Dense(units: 64, activation: .relu), Dropout(rate: 0.5), Dense(units: 10, activation: .softmax),
        ])
        try expectKeras(model, "course_small")
    }

    @Test func residualBlock() throws {
        let input = try Input(shape: [8, 8, 3])
        let stem = try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu)(input)
        let branch = try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same)(stem)
        let merged = try Add()([stem, branch])
        let pooled = try GlobalAveragePooling2D()(try BatchNormalization()(merged))
        let model = try Model(inputs: input, outputs: try Dense(units: 3, activation: .softmax)(pooled))
        try expectKeras(model, "residual")
    }

    @Test func functionalChainHasNoConnectedColumn() throws {
        let input = try Input(shape: [6, 6, 2])
        let features = try Flatten()(try Conv2D(filters: 3, kernelSize: (3, 3))(input))
        let model = try Model(inputs: input, outputs: try Dense(units: 2)(features))
        try expectKeras(model, "functional_chain")
    }

    @Test func twoInputsTwoOutputs() throws {
        let a = try Input(shape: [5])
        let b = try a.graph.input(shape: [5])
        let total = try Add()([a, b])
        let product = try Multiply()([a, b])
        let joined = try Concatenate()([total, product])
        let model = try Model(inputs: [a, b], outputs: [try Dense(units: 2)(joined), product])
        try expectKeras(model, "two_inputs_two_outputs")
    }

    @Test func frozenBaseInsideSequential() throws {
        let input = try Input(shape: [12, 12, 1])
        let features = try BatchNormalization()(
            try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu)(input))
        let base = try Model(inputs: input, outputs: features, name: "base")
        base.trainable = false
        let model = try Sequential(inputShape: [12, 12, 1], layers: [
            base, GlobalAveragePooling2D(), Dense(units: 8, activation: .relu), Dropout(rate: 0.3),
            Dense(units: 3, activation: .softmax),
        ])
        try expectKeras(model, "nested_frozen_base")
    }

    @Test func longNamesWrapAndLongListsFold() throws {
        let input = try Input(shape: [4, 4, 2])
        let depthwise = try BatchNormalization()(
            try DepthwiseConv2D(kernelSize: (3, 3), padding: .same)(input))
        let separable = try SeparableConv2D(filters: 2, kernelSize: (1, 1))(input)
        let joined = try Concatenate()([depthwise, separable, input])
        let model = try Model(inputs: input, outputs: try GlobalAveragePooling2D(keepdims: true)(joined),
                              name: "a_model_with_a_rather_long_name")
        try expectKeras(model, "long_names")
    }

    @Test func wrappingFollowsRich() {
        #expect(SummaryTable.wrap("batch_normalization (BatchNormalization)", width: 29)
                == ["batch_normalization", "(BatchNormalization)"])
        #expect(SummaryTable.wrap("input_layer_1[0][0]", width: 17) == ["input_layer_1[0]…"])
        #expect(SummaryTable.wrap("a[0][0], b[0][0], c[0][0]", width: 17) == ["a[0][0], b[0][0],", "c[0][0]"])
        #expect(SummaryTable(header: ["a", "b", "c"], positions: [0.45, 0.80, 1.0], lineLength: 88,
                             rightAligned: [2]).widths == [36, 27, 15])
    }
}
