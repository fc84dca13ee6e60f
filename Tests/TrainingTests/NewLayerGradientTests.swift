import Testing
@testable import Training

/// Finite-difference checks of the activations, shape, preprocessing and
/// regularisation layers of issue 11.
@Suite struct NewLayerGradientTests {
    /// Odd multiples of 0.225 in ±7.2, at least 0.075 from every kink
    /// (0, ±3, 6, the ReLU thresholds below).
    static let wide = LayerGradientTests.spaced(32).map { $0 * 4.5 }

    static let activations: [ActivationFunction] = [
        .relu6, .elu(), .elu(alpha: 0.5), .selu, .softplus, .hardSigmoid, .silu, .hardSilu, .gelu(), .gelu(approximate: true),
    ]

    @Test(arguments: activations)
    func activationLayer(_ function: ActivationFunction) throws {
        try GradientCheck.check(Activation(function), inputShape: [8], batch: 4, step: 1e-2, inputs: Self.wide)
    }

    /// Dense keeps its pre-activation for the activations whose derivative needs it.
    @Test(arguments: [ActivationFunction.gelu(), .silu, .hardSilu, .elu(), .softplus])
    func denseActivation(_ function: ActivationFunction) throws {
        try GradientCheck.check(Dense(units: 3, activation: function), inputShape: [4], batch: 2)
    }

    @Test func reluLayer() throws {
        try GradientCheck.check(ReLU(), inputShape: [8], batch: 4, inputs: Self.wide)
        try GradientCheck.check(ReLU(maxValue: 4, negativeSlope: 0.1, threshold: 0.5), inputShape: [8], batch: 4, inputs: Self.wide)
    }

    @Test func rescalingAndNormalization() throws {
        try GradientCheck.check(Rescaling(scale: 0.5, offset: -1), inputShape: [2, 3])
        try GradientCheck.check(Normalization(mean: [0.5, -1], variance: [4, 0.25]), inputShape: [3, 2])
        try GradientCheck.check(Normalization(mean: [1], variance: [2.25], invert: true), inputShape: [3, 2])
        let adapted = try Normalization()
        try adapted.adapt(Tensor(shape: [4, 2], scalars: [1, 2, 3, 5, 0, -1, 2, 2]))
        try GradientCheck.check(adapted, inputShape: [2])
    }

    @Test func shapeLayers() throws {
        try GradientCheck.check(Reshape(targetShape: [-1, 2]), inputShape: [2, 2, 2])
        try GradientCheck.check(Permute(dims: [3, 1, 2]), inputShape: [2, 3, 2])
        try GradientCheck.check(ZeroPadding2D(padding: ((1, 0), (2, 1))), inputShape: [2, 3, 2])
        try GradientCheck.check(Cropping2D(cropping: ((1, 0), (0, 2))), inputShape: [3, 4, 2])
        try GradientCheck.check(Identity(), inputShape: [3])
    }

    @Test func upSampling() throws {
        try GradientCheck.check(UpSampling2D(size: (2, 3)), inputShape: [2, 2, 2])
        try GradientCheck.check(UpSampling2D(size: (3, 2), interpolation: .bilinear), inputShape: [2, 3, 2])
    }

    @Test func spatialDropout() throws {
        try GradientCheck.check(SpatialDropout2D(rate: 0.5), inputShape: [2, 2, 4])
        try GradientCheck.check(SpatialDropout2D(rate: 0.5), inputShape: [2, 2, 4], training: false)
    }

    @Test func keepdimsPooling() throws {
        try GradientCheck.check(GlobalAveragePooling2D(keepdims: true), inputShape: [3, 2, 2])
        try GradientCheck.check(GlobalMaxPooling2D(keepdims: true), inputShape: [3, 2, 2], inputs: LayerGradientTests.spaced(24))
    }
}
