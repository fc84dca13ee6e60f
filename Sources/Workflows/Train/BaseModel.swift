import Applications
import Foundation
import KerasFiles
import Training

/// The frozen feature extractor of a transfer-learning pipeline: the first
/// layers of a model defined by another pipeline file, trained there first
/// or loaded from its weights.
enum BaseModel {
    /// The base's leading `section.layers` layers, frozen, built for `inputShape`;
    /// or the application the section names, as one nested model.
    static func layers(_ section: BaseSection, inputShape: [Int], seed: UInt64, outputDirectory: String,
                       output: ProgressOutput, reducer: any GradientReducer) throws -> [any Layer] {
        if let name = section.application, let application = Application(name: name) {
            return [try self.application(application, section, inputShape: inputShape, seed: seed, output: output)]
        }
        guard let pipeline = section.pipeline else { throw WorkflowError("base: neither 'pipeline' nor 'application'") }
        let file = try PipelineFileLoader.load(path: pipeline)
        guard let modelSection = file.model else {
            throw WorkflowError("\(pipeline): the base pipeline has no 'model' section")
        }
        guard !modelSection.isGraph else {
            throw WorkflowError("\(pipeline): base.layers takes the first layers of a chain; this model is a graph (its layers name their inputs)")
        }
        let model: Model
        if let weights = section.weights {
            let shape = [file.data.height, file.data.width, file.data.imageColorMode.channels]
            model = try modelSection.makeModel(inputShape: shape, seed: modelSection.seed ?? file.data.seed)
            try model.loadWeights(from: weights)
            output.write("Base: \(pipeline) with weights \(weights)\n")
        } else {
            output.write("Training the base model from \(pipeline)\n")
            var run = TrainingRun(pipeline: file, outputDirectory: outputDirectory + "/base", output: output,
                                  reducer: reducer)
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

    /// The Keras application of the section for `inputShape`, with its
    /// Keras weight file loaded (or seeded random weights), `trainable` as asked.
    static func application(_ application: Application, _ section: BaseSection, inputShape: [Int], seed: UInt64,
                            output: ProgressOutput) throws -> Model {
        let options = ApplicationOptions(includeTop: section.includeTop, inputShape: inputShape,
                                         pooling: GlobalPooling(rawValue: section.pooling) ?? .none,
                                         alpha: section.alpha, seed: seed)
        let model: Model
        do {
            model = try application.model(options, imagenetWeights: section.weights != nil)
            if let weights = section.weights { try model.loadKerasWeights(from: weights) }
        } catch let error as TrainingError {
            throw WorkflowError("base \(application.rawValue): \(error)")
        }
        output.write("Base: \(application.rawValue) \(model.name), \(section.weights.map { "weights \($0)" } ?? "random weights (seed \(seed))")\n")
        model.trainable = section.trainable
        return model
    }

    /// Fine-tuning an application base, as Keras's course does it: the base
    /// trainable again but for its layers below the top `count` layers with
    /// weights. Returns the names of the unfrozen layers.
    static func unfreezeTop(_ count: Int, of base: Model) -> [String] {
        base.trainable = true
        let weighted = base.layers.filter { !$0.parameters.isEmpty }
        let unfrozen = weighted.suffix(count)
        for layer in weighted.dropLast(count) { layer.trainable = false }
        return unfrozen.map(\.name)
    }
}
