import Testing
@testable import Training

/// The new layers inside models: Keras's default names and counts, and the
/// gradient of a whole chain.
@Suite struct NewLayerModelTests {
    /// Names and parameter counts as Keras 3.15 gives them for the same Sequential.
    @Test func kerasNamesAndCounts() throws {
        let model = try Sequential(inputShape: [4, 4, 3], layers: [
            Normalization(), ReLU(), ZeroPadding2D(), Cropping2D(cropping: 1), UpSampling2D(), SpatialDropout2D(rate: 0.1),
            Permute(dims: [2, 1, 3]), Rescaling(scale: 2), Identity(), GlobalMaxPooling2D(keepdims: true), Reshape(targetShape: [3]),
        ])
        #expect(model.layers.map(\.name) == ["normalization", "re_lu", "zero_padding2d", "cropping2d", "up_sampling2d",
                                             "spatial_dropout2d", "permute", "rescaling", "identity", "global_max_pooling2d",
                                             "reshape"])
        #expect(model.layers.map(\.parameterCount) == [7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(model.trainableParameterCount == 0)
    }

    /// A chain of the smooth new layers, checked end to end as one layer.
    @Test func chainGradient() throws {
        let model = try Sequential(inputShape: [3, 3, 2], seed: 2, layers: [
            Rescaling(scale: 0.5, offset: 0.1), ZeroPadding2D(padding: 1), Cropping2D(cropping: ((1, 0), (0, 1))),
            UpSampling2D(size: (1, 2), interpolation: .bilinear), Permute(dims: [2, 1, 3]), Activation(.gelu()),
            SpatialDropout2D(rate: 0.5), GlobalAveragePooling2D(keepdims: true), Reshape(targetShape: [2]),
            Dense(units: 3, activation: .silu), Identity(),
        ])
        try GradientCheck.check(model, inputShape: [3, 3, 2])
    }
}
