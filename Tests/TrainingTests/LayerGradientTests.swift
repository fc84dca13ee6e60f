import Testing
@testable import Training

@Suite struct LayerGradientTests {
    @Test func conv2DValidLinear() throws {
        try GradientCheck.check(Conv2D(filters: 3, kernelSize: (3, 3)), inputShape: [5, 5, 2])
    }

    @Test func conv2DSameStridedTanh() throws {
        try GradientCheck.check(Conv2D(filters: 2, kernelSize: (3, 2), strides: (2, 2), padding: .same, activation: .tanh),
                                inputShape: [5, 4, 2])
    }

    /// ReLU is fused into oneDNN's forward and has its own backward kernel.
    @Test func conv2DSameReLU() throws {
        try GradientCheck.check(Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu),
                                inputShape: [4, 4, 2], step: 1e-3)
    }

    @Test func conv2DSigmoid() throws {
        try GradientCheck.check(Conv2D(filters: 2, kernelSize: (2, 2), activation: .sigmoid), inputShape: [3, 3, 1])
    }

    @Test func denseActivations() throws {
        for activation in [ActivationFunction.linear, .tanh, .sigmoid, .softmax] {
            try GradientCheck.check(Dense(units: 4, activation: activation), inputShape: [5], batch: 3)
        }
    }

    /// Inputs spaced well apart from each other and from zero, so that no
    /// finite-difference step crosses a kink (max, relu).
    static func spaced(_ count: Int) -> [Float] {
        let raw = (0..<count).map { Float(($0 * 37) % count) * 0.1 + 0.05 - Float(count) * 0.05 }
        return raw
    }

    @Test func reluAndLeakyRelu() throws {
        try GradientCheck.check(Activation(.relu), inputShape: [6], inputs: Self.spaced(12))
        try GradientCheck.check(Activation(.leakyRelu(alpha: 0.2)), inputShape: [6], inputs: Self.spaced(12))
        try GradientCheck.check(Activation(.softmax), inputShape: [4], batch: 3)
    }

    @Test func maxPooling() throws {
        try GradientCheck.check(MaxPooling2D(poolSize: (2, 2)), inputShape: [4, 4, 2], inputs: Self.spaced(64))
        try GradientCheck.check(MaxPooling2D(poolSize: (2, 2), padding: .same), inputShape: [3, 3, 1], inputs: Self.spaced(18))
        // Uncovered last row and column; 9 channels (a vector tail).
        try GradientCheck.check(MaxPooling2D(poolSize: (2, 2)), inputShape: [5, 5, 9], inputs: Self.spaced(450))
        // Overlapping windows: a value can be the maximum of several.
        try GradientCheck.check(MaxPooling2D(poolSize: (3, 3), strides: (1, 2)), inputShape: [4, 5, 2], inputs: Self.spaced(80))
    }

    @Test func averagePooling() throws {
        try GradientCheck.check(AveragePooling2D(poolSize: (2, 2)), inputShape: [4, 4, 2])
        try GradientCheck.check(AveragePooling2D(poolSize: (2, 2), strides: (1, 1), padding: .same), inputShape: [3, 3, 1])
    }

    @Test func globalPooling() throws {
        try GradientCheck.check(GlobalAveragePooling2D(), inputShape: [3, 3, 2])
        try GradientCheck.check(GlobalMaxPooling2D(), inputShape: [3, 3, 2], inputs: Self.spaced(36))
    }

    @Test func flattenAndDropout() throws {
        try GradientCheck.check(Flatten(), inputShape: [2, 2, 2])
        try GradientCheck.check(Dropout(rate: 0.5), inputShape: [10])
        try GradientCheck.check(Dropout(rate: 0.5), inputShape: [10], training: false)
    }

    @Test func batchNormalizationTrainingAndInference() throws {
        try GradientCheck.check(BatchNormalization(), inputShape: [2, 2, 3], batch: 3, step: 1e-2, tolerance: 3e-2)
        try GradientCheck.check(BatchNormalization(), inputShape: [4], batch: 3, training: false)
    }
}
