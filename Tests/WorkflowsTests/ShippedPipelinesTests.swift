import Foundation
import Testing
@testable import Workflows
import Training

/// Every pipeline file in pipelines/ loads, and means what its comments say.
@Suite struct ShippedPipelinesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("pipelines").path

    @Test(arguments: ["seed-recipe", "digits-cnn", "digits-resnet", "digits-base", "transfer", "reference"])
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
