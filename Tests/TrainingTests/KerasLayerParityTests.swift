import Foundation
import Testing
@testable import Training

/// Forward outputs against Keras 3's (Fixtures/keras-layers, made by
/// scripts/make_keras_layer_fixtures.py).
@Suite struct KerasLayerParityTests {
    /// Fixture name → the same layer built here.
    static let cases: [(String, @Sendable () throws -> any Layer)] = [
        ("activation_relu", { try Activation(.relu) }),
        ("activation_relu6", { try Activation(.relu6) }),
        ("activation_leaky_relu", { try Activation(.leakyRelu()) }),
        ("activation_elu", { try Activation(.elu()) }),
        ("activation_elu_alpha", { try Activation(.elu(alpha: 0.5)) }),
        ("activation_selu", { try Activation(.selu) }),
        ("activation_softplus", { try Activation(.softplus) }),
        ("activation_sigmoid", { try Activation(.sigmoid) }),
        ("activation_hard_sigmoid", { try Activation(.hardSigmoid) }),
        ("activation_silu", { try Activation(.swish) }),
        ("activation_hard_silu", { try Activation(.hardSwish) }),
        ("activation_gelu", { try Activation(.gelu()) }),
        ("activation_gelu_approximate", { try Activation(.gelu(approximate: true)) }),
        ("activation_tanh", { try Activation(.tanh) }),
        ("activation_softmax", { try Activation(.softmax) }),
        ("relu_default", { try ReLU() }),
        ("relu_bounded", { try ReLU(maxValue: 4, negativeSlope: 0.1, threshold: 0.5) }),
        ("rescaling", { try Rescaling(scale: 1 / 127.5, offset: -1) }),
        ("normalization_given", { try Normalization(mean: [0.5, -1, 2], variance: [4, 0.25, 9]) }),
        ("normalization_invert", { try Normalization(mean: [0.5, -1, 2], variance: [4, 0.25, 9], invert: true) }),
        ("reshape", { try Reshape(targetShape: [3, -1]) }),
        ("permute_213", { try Permute(dims: [2, 1, 3]) }),
        ("permute_312", { try Permute(dims: [3, 1, 2]) }),
        ("zero_padding_asymmetric", { try ZeroPadding2D(padding: ((1, 0), (2, 1))) }),
        ("zero_padding_int", { try ZeroPadding2D(padding: 1) }),
        ("cropping", { try Cropping2D(cropping: ((1, 0), (0, 2))) }),
        ("upsampling_nearest", { try UpSampling2D(size: (2, 3)) }),
        ("upsampling_bilinear", { try UpSampling2D(size: (2, 3), interpolation: .bilinear) }),
        ("upsampling_bilinear_4", { try UpSampling2D(size: 4, interpolation: .bilinear) }),
        ("global_average_keepdims", { GlobalAveragePooling2D(keepdims: true) }),
        ("global_max_keepdims", { GlobalMaxPooling2D(keepdims: true) }),
        ("identity", { Identity() }),
        ("spatial_dropout_inference", { try SpatialDropout2D(rate: 0.5) }),
    ]

    /// Magnitudes below which errors count as absolute (default 1e-3):
    /// TensorFlow's tanh-form gelu computes 1 + tanh(u) in float32, which
    /// cancels to about 2e-7 absolute for negative inputs; ours does not.
    static let floors: [String: Float] = ["activation_gelu_approximate": 0.03]

    @Test(arguments: cases.map(\.0))
    func forwardMatchesKeras(_ name: String) throws {
        let fixture = try KerasLayerFixture.load(name)
        let layer = try Self.cases.first { $0.0 == name }!.1()
        #expect(layer.typeName == fixture.keras_layer || fixture.keras_layer == "ELU")
        let (shape, values) = try fixture.run(layer)
        #expect(shape == fixture.output_shape)
        let error = KerasLayerFixture.maxRelativeError(values, fixture.output, floor: Self.floors[name] ?? 1e-3)
        #expect(error <= 1e-5, "\(name): max relative error \(error)")
    }

    /// Every fixture file has a case here.
    @Test func everyFixtureIsCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: KerasLayerFixture.folder.path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
        let covered = Set(Self.cases.map(\.0)).union(["normalization_adapted"])
        #expect(Set(files) == covered)
    }

    /// adapt computes Keras's mean and (population) variance; the layer then
    /// normalises as Keras's adapted layer does.
    @Test func normalizationAdapt() throws {
        let fixture = try KerasLayerFixture.load("normalization_adapted")
        let shape = try #require(fixture.adapt_shape), weights = try #require(fixture.weights)
        let layer = try Normalization()
        try layer.adapt(Tensor(shape: shape, scalars: KerasLayerFixture.formula(count: shape.reduce(1, *),
                                                                               scale: try #require(fixture.adapt_scale))))
        let (_, values) = try fixture.run(layer)
        #expect(layer.parameters.map(\.name) == ["mean", "variance", "count"])
        #expect(layer.parameters.allSatisfy { !$0.isTrainable })
        #expect(layer.parameters.map(\.shape) == [[3], [3], []])
        for parameter in layer.parameters {
            let expected = try #require(weights[parameter.name])
            let error = KerasLayerFixture.maxRelativeError(parameter.value.array(count: parameter.count), expected)
            #expect(error <= 1e-5, "\(parameter.name): max relative error \(error)")
        }
        #expect(KerasLayerFixture.maxRelativeError(values, fixture.output) <= 1e-5)
    }
}
