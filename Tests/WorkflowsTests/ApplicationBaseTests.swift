import Foundation
import Testing
import TestSupport
@testable import Workflows
import Training
import Applications

/// The `base` section naming a Keras application: decoding, its errors, and
/// the base built with a Keras weight file and unfrozen at the top for fine-tuning.
@Suite struct ApplicationBaseTests {
    func parse(_ yaml: String) throws(PipelineFileError) -> PipelineFile {
        try PipelineFileLoader.parse(yaml: "data:\n  directory: d\n" + yaml
                                     + "\nmodel:\n  layers: [global_average_pooling2d, {dense: {units: 2, activation: softmax}}]\n"
                                     + "training: {epochs: 1}\n", file: "p.yaml")
    }

    @Test func decodes_the_course_base() throws {
        let file = try parse("""
            base: {application: mobilenet_v2, weights: w.h5, include_top: false, alpha: 0.35, pooling: none, trainable: false}
            augmentation: {preprocessing_function: mobilenet_v2, rotation_range: 20, horizontal_flip: true}
            """)
        let base = try #require(file.base)
        #expect(base.application == "mobilenet_v2" && base.alpha == 0.35 && !base.trainable && !base.includeTop)
        #expect(base.weights == "w.h5")
        #expect(file.augmentation.config.preprocessingFunction?.name == "mobilenet_v2")
    }

    @Test func errors_name_the_key() {
        for (yaml, fragment) in [
            ("base: {application: inception_v3}\n", "'inception_v3' is not one of vgg16, resnet50, mobilenet_v2, efficientnet_b0"),
            ("base: {application: vgg16, pipeline: b.yaml}\n", "give exactly one of 'pipeline'"),
            ("base: {application: vgg16, layers: 3}\n", "an application is used whole"),
            ("base: {application: vgg16, pooling: sum}\n", "'sum' is not one of none, avg, max"),
        ] {
            do {
                _ = try parse(yaml)
                Issue.record("\(yaml) was accepted")
            } catch {
                #expect("\(error)".contains(fragment), "\(error)")
            }
        }
    }

    @Test func builds_with_keras_weights_and_unfreezes_the_top() throws {
        let weights = RepositoryFiles.fixture("ApplicationsTests", "mobilenet_v2_0.35_32_notop.h5").path
        let file = try parse("base: {application: mobilenet_v2, weights: \(weights), alpha: 0.35}\n")
        let base = try BaseModel.application(.mobileNetV2, try #require(file.base), inputShape: [32, 32, 3], seed: 1,
                                             output: ProgressOutput(isTerminal: false) { _ in })
        #expect(base.name == "mobilenetv2_0.35_32" && !base.trainable && base.trainableParameters.isEmpty)
        #expect(base.layers[0].parameters[0].value.pointer[0] != 0)
        let unfrozen = BaseModel.unfreezeTop(2, of: base)
        #expect(unfrozen == ["Conv_1", "Conv_1_bn"])
        #expect(base.trainableParameters.count == 3, "Conv_1's kernel, Conv_1_bn's gamma and beta")
    }
}
