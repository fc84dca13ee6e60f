import Testing
@testable import Training

/// Finite-difference checks of the convolution family (``GradientCheck``).
@Suite struct ConvolutionGradientTests {
    /// Activations whose derivative needs the pre-activation (gelu, silu, hard_silu) keep it.
    @Test func convolutionsWithInputDerivativeActivations() throws {
        for activation in [ActivationFunction.gelu(), .silu, .hardSilu] {
            try GradientCheck.check(Conv2D(filters: 2, kernelSize: (2, 2), activation: activation), inputShape: [3, 3, 2], step: 1e-3)
            try GradientCheck.check(Conv2DTranspose(filters: 2, kernelSize: (2, 2), activation: activation),
                                    inputShape: [2, 2, 2], step: 1e-3)
        }
    }

    @Test func dilatedConv2D() throws {
        try GradientCheck.check(Conv2D(filters: 2, kernelSize: (3, 2), padding: .same, dilationRate: (2, 2), activation: .tanh),
                                inputShape: [5, 5, 2])
        try GradientCheck.check(Conv2D(filters: 2, kernelSize: (2, 2), dilationRate: (1, 3)), inputShape: [4, 5, 1])
    }

    @Test func groupedConv2D() throws {
        try GradientCheck.check(Conv2D(filters: 4, kernelSize: (3, 3), strides: (2, 1), padding: .same, groups: 2),
                                inputShape: [4, 4, 4])
        try GradientCheck.check(Conv2D(filters: 3, kernelSize: (2, 2), groups: 3, activation: .sigmoid), inputShape: [3, 4, 3])
    }

    @Test func depthwiseConv2D() throws {
        try GradientCheck.check(DepthwiseConv2D(kernelSize: (3, 3), strides: (2, 2), padding: .same, depthMultiplier: 2),
                                inputShape: [5, 5, 2])
        try GradientCheck.check(DepthwiseConv2D(kernelSize: (2, 2), dilationRate: (2, 2), activation: .tanh, useBias: false),
                                inputShape: [4, 4, 3])
        try GradientCheck.check(DepthwiseConv2D(kernelSize: (2, 2), strides: (2, 2), padding: .same, dilationRate: (2, 2)),
                                inputShape: [5, 4, 2])
    }

    @Test func separableConv2D() throws {
        try GradientCheck.check(SeparableConv2D(filters: 3, kernelSize: (3, 3), padding: .same, depthMultiplier: 2,
                                                activation: .tanh), inputShape: [4, 4, 2])
        try GradientCheck.check(SeparableConv2D(filters: 2, kernelSize: (2, 3), strides: (2, 1), dilationRate: (1, 1)),
                                inputShape: [5, 4, 3])
    }

    @Test func conv2DTranspose() throws {
        try GradientCheck.check(Conv2DTranspose(filters: 2, kernelSize: (3, 3), strides: (2, 2), padding: .same),
                                inputShape: [3, 3, 2])
        try GradientCheck.check(Conv2DTranspose(filters: 2, kernelSize: (2, 3), strides: (3, 2), activation: .tanh),
                                inputShape: [2, 3, 2])
        try GradientCheck.check(Conv2DTranspose(filters: 1, kernelSize: (3, 3), strides: (2, 2), padding: .same,
                                                outputPadding: (1, 1), useBias: false), inputShape: [3, 2, 2])
    }
}
