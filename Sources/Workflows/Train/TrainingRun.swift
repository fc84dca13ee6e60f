import CPUBudget
import DataPipeline
import Foundation
import Imaging
import Tensors
import Training
import Yams

/// `augment train`: one whole experiment from a pipeline file.
///
/// Builds the loaders and the model, trains with the file's callbacks and
/// schedule, evaluates on the test folder, and writes into the run folder:
/// `history.csv`, `training_curves.png`, `best.safetensors`,
/// `pipeline.resolved.yaml` and `augmented_samples.png`. Its first line of
/// output is the thread plan (``PipelineFile/threadPlan(threads:workers:environment:)``):
/// the CPU budget, the compute threads and the loader workers and where each
/// came from, and libgomp's wait policy; `pipeline.resolved.yaml` records
/// the counts and the same line as a comment.
///
/// ```swift
/// let file = try PipelineFileLoader.load(path: "pipelines/digits-cnn.yaml")
/// let report = try TrainingRun(pipeline: file, outputDirectory: "runs/digits").run()
/// print(report.testLogs?["accuracy"] ?? 0)
/// ```
public struct TrainingRun {
    public let pipeline: PipelineFile
    public let outputDirectory: String
    public let output: ProgressOutput
    /// The thread counts; nil resolves them from the file and the environment.
    public let threadPlan: ThreadPlan?

    public init(pipeline: PipelineFile, outputDirectory: String, output: ProgressOutput = .standardOutput,
                threadPlan: ThreadPlan? = nil) {
        self.pipeline = pipeline
        self.outputDirectory = outputDirectory
        self.output = output
        self.threadPlan = threadPlan
    }

    /// What a run produced.
    public struct Report {
        /// The trained model (best weights restored when early stopping asked for it).
        public var model: Model
        public var history: History
        /// Loss and metrics on the test folder, when the file has one.
        public var testLogs: Logs?
        /// Files written, in the run folder.
        public var artifacts: [String]
        public var wallSeconds: Double
    }

    var path: (String) -> String { { outputDirectory + "/" + $0 } }

    /// Trains and writes the artefacts.
    /// - Throws: ``WorkflowError`` for a file without `model`/`training` or a model
    ///   whose output does not fit the labels; library errors (images, shapes) as they come.
    public func run() throws -> Report {
        let started = Date()
        guard let modelSection = pipeline.model, let training = pipeline.training else {
            throw WorkflowError("augment train needs 'model' and 'training' sections")
        }
        let threads = try threadPlan ?? pipeline.threadPlan()
        let threadLine = "Threads: \(threads); libgomp wait: \(OpenMPWaitPolicy.current)"
        output.write(threadLine + "\n")
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let data = try PipelineData(pipeline: pipeline, threads: threads)
        let baseLayers = try pipeline.base.map {
            try BaseModel.layers($0, inputShape: data.inputShape, seed: modelSection.seed ?? pipeline.data.seed,
                                 outputDirectory: outputDirectory, output: output)
        } ?? []
        // After the base: training a base pipeline applies that file's own count.
        ThreadingPolicy.training(threads: threads.computeThreads).apply()
        let model = try ModelFactory.build(modelSection, base: baseLayers, inputShape: data.inputShape,
                                           seed: modelSection.seed ?? pipeline.data.seed, data: data, pipeline: pipeline)
        model.compile(optimizer: try training.optimizer.makeOptimizer(), loss: training.makeLoss(), metrics: [.automatic])
        output.write(model.summary() + "\n")
        output.write("Training on \(data.training.count) images in \(data.classNames.count) classes"
                      + (data.validation.map { ", validating on \($0.count)" } ?? "") + ".\n")

        let monitor = data.validationLoader == nil ? training.checkpointMonitor.replacingOccurrences(of: "val_", with: "")
            : training.checkpointMonitor
        let callbacks = try CallbackFactory(training: training, hasValidation: data.validationLoader != nil)
            .make(checkpoint: path("best.safetensors"), history: path("history.csv"), monitor: monitor, output: output)
        let batches = data.trainingLoader
        let validation = data.validationLoader
        var history = try model.fit(batches, epochs: training.epochs, validationData: validation, callbacks: callbacks,
                                    verbose: Self.verbosity(training.verbose), output: output)
        if let fineTune = pipeline.fineTune {
            let unfrozen = pipeline.base?.application != nil && baseLayers.count == 1 && baseLayers[0] is Model
                ? BaseModel.unfreezeTop(fineTune.unfreezeTop, of: baseLayers[0] as! Model)
                : model.unfreezeTop(layersWithWeights: fineTune.unfreezeTop, within: 0..<baseLayers.count)
            output.write("Fine-tuning \(unfrozen.joined(separator: ", ")) at learning rate \(fineTune.learningRate)\n")
            model.compile(optimizer: try training.optimizer.makeOptimizer(learningRate: fineTune.learningRate),
                          loss: training.makeLoss(), metrics: [.automatic])
            let start = history.epochs.count
            let tuned = try model.fit(batches, epochs: start + fineTune.epochs, validationData: validation,
                                      callbacks: callbacks, initialEpoch: start,
                                      verbose: Self.verbosity(training.verbose), output: output)
            history.append(tuned)
        }

        var testLogs: Logs?
        if let testLoader = data.testLoader {
            let logs = try model.evaluate(testLoader)
            testLogs = logs
            let metrics = logs.keys.sorted().map { "\($0): \(String(format: "%.4f", logs[$0]!))" }.joined(separator: " - ")
            output.write("Test (\(data.test?.count ?? 0) images) - \(metrics)\n")
        }
        var artifacts = ["history.csv", "best.safetensors"]
        artifacts += try RunArtifacts(outputDirectory: outputDirectory)
            .write(history: history, pipeline: pipeline.resolving(threads), comment: threadLine,
                   sampleFiles: data.sampleFiles)
        return Report(model: model, history: history, testLogs: testLogs, artifacts: artifacts,
                      wallSeconds: Date().timeIntervalSince(started))
    }

    static func verbosity(_ level: Int) -> Verbosity {
        switch level {
        case 0: .silent
        case 2: .epochLines
        default: .progressBar
        }
    }
}
