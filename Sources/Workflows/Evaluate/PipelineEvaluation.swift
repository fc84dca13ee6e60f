import Augmentation
import CPUBudget
import DataPipeline
import Foundation
import Training

/// `augment evaluate`: a pipeline file's model, with trained weights, on a
/// folder of class sub-folders (the file's `test.directory`, or any other):
/// the training section's loss and the metrics `fit` reports, images going
/// through what validation images go through (resize, rescale,
/// preprocessing function, no random transform).
///
/// ```swift
/// let result = try PipelineEvaluation(pipeline: file, weights: "runs/x/best.safetensors").run()
/// print(result.logs["accuracy"] ?? 0)
/// ```
public struct PipelineEvaluation {
    /// What one evaluation measured.
    public struct Result: Sendable {
        /// The folder evaluated.
        public let directory: String
        /// How many images it holds.
        public let count: Int
        /// `loss` and each metric.
        public let logs: Logs

        /// `Test (N images) - accuracy: 0.9000 - loss: 0.3001`.
        public var line: String {
            let metrics = logs.keys.sorted().map { "\($0): \(String(format: "%.4f", logs[$0]!))" }.joined(separator: " - ")
            return "\(directory) (\(count) images) - \(metrics)"
        }
    }

    public let pipeline: PipelineFile
    public let weights: String
    /// The folder to evaluate; nil: the file's `test.directory`.
    public let directory: String?
    public let threads: ThreadPlan?

    public init(pipeline: PipelineFile, weights: String, directory: String? = nil, threads: ThreadPlan? = nil) {
        self.pipeline = pipeline
        self.weights = weights
        self.directory = directory
        self.threads = threads
    }

    /// Loads the model and the folder and evaluates.
    /// - Throws: ``WorkflowError`` without a training section (whose loss is
    ///   measured) or a folder; library errors (images, weights, shapes) as they come.
    public func run() throws -> Result {
        guard let training = pipeline.training else {
            throw WorkflowError("augment evaluate needs a 'training' section: its loss is what is measured")
        }
        guard let folderPath = directory ?? pipeline.test?.directory else {
            throw WorkflowError("give a folder to evaluate, or a 'test' section in the pipeline file")
        }
        let predictor = try PipelinePredictor(pipeline: pipeline, weights: weights)
        let model = predictor.model
        let data = pipeline.data
        let folder = try ImageFolder(directory: folderPath, classes: data.classes ?? predictor.classNames,
                                     classMode: data.targetClassMode, followLinks: data.followLinks)
        guard folder.count > 0 else { throw WorkflowError("\(folderPath): no images found") }
        let config = pipeline.augmentation.config
        var standardizer: Standardizer?
        if config.featurewiseCenter || config.featurewiseStdNormalization || config.zcaWhitening {
            // Fitted on the training images, as training did.
            let sources = try TrainingSources(data: data, split: data.validationSplit)
            standardizer = try PipelineData.fitStandardizer(config: config, source: sources.training, data: data,
                                                            mode: pipeline.augmentation.geometry)
        }
        let plan = try threads ?? pipeline.threadPlan(trains: false, othersRunning: 0)   // the library's default, as TrainingRun
        let loaders = LoaderFactory(data: data, threads: plan, mode: pipeline.augmentation.geometry, standardizer: standardizer,
                                    processes: nil, targets: pipeline.augmentation.targets ?? TargetsSection(), log: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) })
        let recipe = try pipeline.augmentation.ops.map {
            try OpRecipe(ops: $0, outputHeight: data.height, outputWidth: data.width, seed: data.seed)
        }
        let loader = try loaders.make(folder, config: config.withoutRandomTransforms, recipe: recipe?.withoutRandomOps,
                                      shuffle: false, batchSize: pipeline.test?.batchSize ?? data.batchSize)
        model.compile(optimizer: try SGD(), loss: training.makeLoss(), metrics: [.automatic])
        return Result(directory: folderPath, count: folder.count, logs: try model.evaluate(loader))
    }
}
