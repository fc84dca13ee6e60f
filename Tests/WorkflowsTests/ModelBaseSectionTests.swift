import CPUBudget
import Foundation
import Testing
import TestSupport
@testable import Workflows
import Training

/// The issue's `model.base` form of a transfer-learning pipeline, a
/// predict-only pipeline file (no data folder) whose base with pooling and
/// no head is a feature extractor, and `data.validation_directory`.
@Suite struct ModelBaseSectionTests {
    static let weights = RepositoryFiles.fixture("ApplicationsTests", "mobilenet_v2_0.35_32_notop.h5").path

    @Test func modelBaseIsTheTopLevelBase() throws {
        let head = "layers: [global_average_pooling2d, {dense: {units: 3, activation: softmax}}]"
        let nested = try PipelineFileLoader.parse(yaml: """
            data: {directory: d}
            model:
              base: {application: mobilenet_v2, weights: w.h5, include_top: false, alpha: 0.35, trainable: false}
              \(head)
            """, file: "p.yaml")
        let topLevel = try PipelineFileLoader.parse(yaml: """
            data: {directory: d}
            base: {application: mobilenet_v2, weights: w.h5, include_top: false, alpha: 0.35, trainable: false}
            model: {\(head)}
            """, file: "p.yaml")
        #expect(nested.base != nil && nested.base == topLevel.base && nested.model == topLevel.model)
        #expect(nested.base?.weights == "w.h5" && nested.base?.alpha == 0.35)
    }

    @Test func errorsNameTheProblem() {
        for (yaml, fragment) in [
            ("base: {application: vgg16}\nmodel:\n  base: {application: vgg16}\n", "give the base once"),
            ("model:\n  layers: []\n", "needs at least one layer"),
            ("base: {application: vgg16}\n", "a 'base' needs a 'model' section"),
            ("model:\n  base: {application: vgg16, pooling: sum}\n", "'sum' is not one of none, avg, max"),
        ] {
            do {
                _ = try PipelineFileLoader.parse(yaml: "data: {directory: d}\n" + yaml, file: "p.yaml")
                Issue.record("\(yaml) was accepted")
            } catch {
                #expect("\(error)".contains(fragment), "\(error)")
            }
        }
    }

    /// No data folder, no training: target size, colour mode and the
    /// preprocessing function are enough to predict with a feature extractor.
    @Test func aPredictOnlyFeatureExtractor() throws {
        let file = try PipelineFileLoader.parse(yaml: """
            data: {target_size: [32, 32], color_mode: rgb}
            augmentation: {preprocessing_function: mobilenet_v2}
            model:
              base: {application: mobilenet_v2, alpha: 0.35, pooling: avg, weights: \(Self.weights)}
            """, file: "p.yaml")
        let predictor = try PipelinePredictor(pipeline: file, weights: nil)
        #expect(predictor.model.outputShape == [1280] && predictor.classNames == nil)
        let predictions = try predictor.predict([RepositoryFiles.url("samples/photos/animals").path], batchSize: 4)
        #expect(predictions.count == 2 && predictions.allSatisfy { $0.outputs.count == 1280 && $0.outputs.allSatisfy(\.isFinite) })

    }

    /// A separate validation folder: its images, the training folder's classes.
    @Test func validationDirectoryIsTheValidationSet() throws {
        let photos = RepositoryFiles.url("samples/photos").path
        let file = try PipelineFileLoader.parse(yaml: """
            data: {directory: \(photos), validation_directory: \(photos), target_size: [16, 16], batch_size: 4}
            """, file: "p.yaml")
        let plan = try ThreadPlan(budget: CPUBudget(processors: 2, affinity: nil, quota: nil), environment: [:], othersRunning: 0)
        let data = try PipelineData(pipeline: file, threads: plan)
        #expect(data.training.count == 9 && data.validation?.count == 9 && data.validationLoader != nil)
        #expect(data.classNames == ["animals", "objects", "space"])
        let missing = try PipelineFileLoader.parse(yaml: """
            data: {directory: \(photos), validation_directory: \(photos)/nowhere, target_size: [16, 16]}
            """, file: "p.yaml")
        #expect { _ = try PipelineData(pipeline: missing, threads: plan) } throws: { "\($0)".contains("nowhere") }
    }
}
