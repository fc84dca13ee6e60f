import Foundation
import Training

/// The frozen feature extractor of a transfer-learning pipeline: the first
/// layers of a model defined by another pipeline file, trained there first
/// or loaded from its weights.
enum BaseModel {
    /// The base's leading `section.layers` layers, frozen, built for `inputShape`.
    static func layers(_ section: BaseSection, inputShape: [Int], outputDirectory: String,
                       output: ProgressOutput) throws -> [any Layer] {
        let file = try PipelineFileLoader.load(path: section.pipeline)
        guard let modelSection = file.model else {
            throw WorkflowError("\(section.pipeline): the base pipeline has no 'model' section")
        }
        guard !modelSection.isGraph else {
            throw WorkflowError("\(section.pipeline): base.layers takes the first layers of a chain; this model is a graph (its layers name their inputs)")
        }
        let model: Model
        if let weights = section.weights {
            let shape = [file.data.height, file.data.width, file.data.imageColorMode.channels]
            model = try modelSection.makeModel(inputShape: shape, seed: modelSection.seed ?? file.data.seed)
            try model.loadWeights(from: weights)
            output.write("Base: \(section.pipeline) with weights \(weights)\n")
        } else {
            output.write("Training the base model from \(section.pipeline)\n")
            var run = TrainingRun(pipeline: file, outputDirectory: outputDirectory + "/base", output: output)
            run.isOutermost = false
            model = try run.run().model
        }
        guard model.inputShape == inputShape else {
            throw WorkflowError("the base model takes input \(model.inputShape) but this pipeline's data is \(inputShape)")
        }
        guard section.layers <= model.layers.count else {
            throw WorkflowError("base.layers is \(section.layers) but the base model has \(model.layers.count) layers")
        }
        let kept = Array(model.layers.prefix(section.layers))
        for layer in kept { layer.trainable = false }
        return kept
    }
}
