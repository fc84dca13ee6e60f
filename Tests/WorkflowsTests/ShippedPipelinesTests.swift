import Augmentation
import Foundation
import Testing
import TestSupport
@testable import Workflows
import Training

/// Every pipeline file in pipelines/ loads, and means what its comments say.
@Suite struct ShippedPipelinesTests {
    static let folder = RepositoryFiles.url("pipelines").path

    /// Every file in pipelines/, so a new one is checked without being listed here.
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()

    @Test func theListIsTheFolder() {
        #expect(Self.names == ["compare-modes", "digits-base", "digits-cnn", "digits-resnet", "imagenet-recipe",
                               "mobilenet-transfer", "reference", "seed-recipe", "transfer"])
    }

    @Test(arguments: names)
    func loads(_ name: String) throws {
        let file = try PipelineFileLoader.load(path: "\(Self.folder)/\(name).yaml")
        let directory = try #require(file.data.directory)
        #expect(FileManager.default.fileExists(atPath: directory), "\(directory)")
    }

    @Test func seedRecipeIsTheCourseRecipe() throws {
        let file = try PipelineFileLoader.load(path: "\(Self.folder)/seed-recipe.yaml")
        let config = file.augmentation.config
        #expect(config.rotationRange == 20 && config.horizontalFlip && config.rescale == 1.0 / 255)
        #expect(file.data.targetSize == [224, 224])
    }

    @Test func imagenetRecipeIsW3() throws {
        let file = try PipelineFileLoader.load(path: RepositoryFiles.url("pipelines/imagenet-recipe.yaml").path)
        let ops = try #require(file.augmentation.ops)
        #expect(ops.map(\.name) == ["random_resized_crop", "horizontal_flip", "color_jitter", "normalize"])
        #expect(ops.last == .normalize(.imagenet) && file.data.targetSize == [224, 224])
    }

    @Test func compareModesIsTheREADMEsStrongRecipe() throws {
        let file = try PipelineFileLoader.load(path: "\(Self.folder)/compare-modes.yaml")
        let config = file.augmentation.config
        #expect(config.rotationRange == 40 && config.widthShiftRange == .fraction(0.25))
        #expect(config.zoomRange.lower == 0.6 && config.zoomRange.upper == 1.0)
        #expect(config.fillMode == .constant && config.cval == 40)
        #expect(file.data.targetSize == [96, 160] && file.data.seed == 7)
        #expect(file.model == nil)
    }

    @Test func digitsDemoIsTheCourseModel() throws {
        let file = try PipelineFileLoader.load(path: "\(Self.folder)/digits-cnn.yaml")
        let layers = try #require(file.model).layers.map(\.kind)
        #expect(layers == ["conv2d", "max_pooling2d", "conv2d", "max_pooling2d", "conv2d", "flatten",
                           "dense", "dropout", "dense"])
        #expect(file.training?.earlyStopping?.patience == 6)
        #expect(file.training?.reduceLROnPlateau?.factor == 0.5)
    }

    /// Two stages of two basic blocks, the second stage's first shortcut projected
    /// (42,698 parameters, as Keras counts the same graph: scripts/baseline_train.py).
    @Test func residualDemoIsAGraph() throws {
        let file = try PipelineFileLoader.load(path: "\(Self.folder)/digits-resnet.yaml")
        let model = try #require(file.model).makeModel(inputShape: [28, 28, 1], seed: 1)
        #expect(model.parameterCount == 42_698)
        #expect(model.layers.filter { $0 is Add }.count == 4)
        #expect(model.outputShape == [10])
    }

    @Test func transferPointsAtItsBase() throws {
        let file = try PipelineFileLoader.load(path: "\(Self.folder)/transfer.yaml")
        #expect(file.base?.pipeline == "\(Self.folder)/digits-base.yaml")
        #expect(file.base?.layers == 6)
        #expect(file.fineTune?.unfreezeTop == 1)
    }
}
