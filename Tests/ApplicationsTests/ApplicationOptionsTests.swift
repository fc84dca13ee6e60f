import Testing
import Applications
import Training

/// Keras's argument checks, as named errors.
@Suite struct ApplicationOptionsTests {
    @Test func inputs_smaller_than_32_or_not_images_are_refused() {
        #expect(throws: TrainingError.invalidArgument(parameter: "inputShape", value: "[31, 64, 3]",
                                                      reason: "height and width must be at least 32, as in Keras")) {
            try MobileNetV2(inputShape: [31, 64, 3], includeTop: false)
        }
        #expect(throws: TrainingError.self) { try VGG16(inputShape: [64, 64]) }
        #expect(throws: TrainingError.self) { try ResNet50(classes: 0) }
    }

    @Test func only_mobilenet_v2_takes_alpha() throws {
        #expect(throws: TrainingError.invalidArgument(parameter: "alpha", value: "0.5",
                                                      reason: "resnet50 has no width multiplier (only mobilenet_v2 takes alpha)")) {
            try Application.resnet50.model(ApplicationOptions(includeTop: false, inputShape: [32, 32, 3], alpha: 0.5))
        }
        #expect(throws: TrainingError.self) { try MobileNetV2(inputShape: [32, 32, 3], alpha: 0) }
    }

    @Test func names_and_preprocessing() {
        #expect(Application.allCases.map(\.rawValue) == ["vgg16", "resnet50", "mobilenet_v2", "efficientnet_b0"])
        #expect(Application(name: "inception_v3") == nil)
        #expect(Application.mobileNetV2.preprocessingName == "mobilenet_v2")
    }

    @Test func efficientnet_imagenet_weights_add_keras_per_channel_rescaling() throws {
        let model = try EfficientNetB0(includeTop: false, inputShape: [32, 32, 3], imagenetWeights: true)
        #expect(model.layers.prefix(4).map(\.name) == ["rescaling", "normalization", "rescaling_1", "stem_conv_pad"])
        let rescaling = try #require(model.layers[2] as? Rescaling)
        #expect(rescaling.scales == [0.229, 0.224, 0.225].map { 1 / Float($0).squareRoot() })
    }
}
