import Foundation
import Testing
import KerasFiles
import Training
import TestSupport

/// Every layer Augment can write to a `.keras` archive, in one Functional
/// model: saved and loaded back, it has the same layers, settings and
/// predictions. With AUGMENT_KERAS_CHECK_DIR set the archive is also written
/// there for scripts/check_keras_archive.py (Keras loads it and predicts the same).
@Suite struct KerasLayerRoundTripTests {
    static func everyLayer() throws -> Model {
        let input = try Input(shape: [8, 8, 3], seed: 4)
        let scaled = try Rescaling(scale: 1 / 127.5, offset: -1)(input)
        let normalized = try Normalization(mean: [0.1, 0.2, 0.3], variance: [1, 2, 3])(scaled)
        let conv = try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu)(normalized)
        let separable = try SeparableConv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .gelu())(conv)
        let depthwise = try DepthwiseConv2D(kernelSize: (3, 3), padding: .same, depthMultiplier: 1, activation: .leakyRelu())(separable)
        let transposed = try Conv2DTranspose(filters: 4, kernelSize: (3, 3), strides: (2, 2), padding: .same)(depthwise)
        let averaged = try AveragePooling2D(poolSize: (2, 2))(transposed)
        let padded = try ZeroPadding2D(padding: 1)(averaged)
        let cropped = try Cropping2D(cropping: 1)(padded)
        let upsampled = try UpSampling2D(size: 2, interpolation: .bilinear)(cropped)
        let pooled = try MaxPooling2D(poolSize: (2, 2))(upsampled)
        let dropped = try SpatialDropout2D(rate: 0.2)(pooled)
        let activated = try Activation(.silu)(try Identity()(dropped))
        let merged = try Concatenate()([
            try Add()([activated, conv]), try Subtract()([activated, conv]), try Multiply()([activated, conv]),
            try Average()([activated, conv]), try Maximum()([activated, conv]), try Minimum()([activated, conv]),
        ])
        let normed = try BatchNormalization(momentum: 0.9, epsilon: 1e-5)(merged)
        let clipped = try ReLU(maxValue: 6, negativeSlope: 0.1)(normed)
        let permuted = try Permute(dims: [2, 1, 3])(clipped)
        let reshaped = try Reshape(targetShape: [4, 6])(try GlobalAveragePooling2D(keepdims: true)(permuted))
        let flat = try Flatten()(reshaped)
        let other = try GlobalMaxPooling2D()(clipped)
        let head = try Dense(units: 3, activation: .softmax)(try Dropout(rate: 0.1)(try Concatenate()([flat, other])))
        return try Model(inputs: input, outputs: head, name: "every_layer")
    }

    @Test func everyLayerRoundTrips() throws {
        let model = try Self.everyLayer()
        let inputs = [WeightRule.inputs([8, 8, 3], pixels: true)]
        let before = try model.predict(inputs)
        let directory = try TemporaryDirectory()
        let saved = directory.url.appendingPathComponent("every_layer.keras").path
        try KerasModelFile.save(model, to: saved)
        let again = try KerasModelFile.load(saved)
        #expect(again.layers.map(\.name) == model.layers.map(\.name))
        #expect(again.layers.map(\.typeName) == model.layers.map(\.typeName))
        #expect(try again.predict(inputs).map(\.scalars) == before.map(\.scalars))
        try KerasModelFileTests.exportForKeras(saved, as: "every_layer", inputs: inputs, outputs: before)
    }

    /// What Keras cannot express is refused, naming the layer.
    @Test func aSettingKerasCannotWriteIsNamed() throws {
        let model = try Sequential(inputShape: [4], layers: [try Dense(units: 2, activation: .leakyRelu(alpha: 0.3), name: "slope")])
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("x.keras").path
        #expect { try KerasModelFile.save(model, to: path) } throws: { error in
            guard case let .unsupportedArgument(file, layer, argument, _) = error as? KerasModelError else { return false }
            return file == path && layer == "slope" && argument == "activation"
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
