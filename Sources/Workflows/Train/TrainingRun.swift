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
    /// The processes training together (data parallelism; see ``init(pipeline:outputDirectory:output:threadPlan:reducer:)``).
    public let reducer: any GradientReducer

    /// A run of `pipeline` into `outputDirectory`.
    ///
    /// With a `reducer` of several processes (the `Distributed` module's MPI
    /// reducer under `mpirun -np N`), every process runs this with its rank:
    /// `data.batch_size` is the global batch, split evenly (each process
    /// takes `batch_size / N` of every global batch of the same epoch order,
    /// an error when it does not divide), so the file trains the same steps
    /// on any number of processes; metrics are summed over all of them; only
    /// rank 0 prints and writes the run folder.
    public init(pipeline: PipelineFile, outputDirectory: String, output: ProgressOutput = .standardOutput,
                threadPlan: ThreadPlan? = nil, reducer: any GradientReducer = LocalGradientReducer()) {
        self.pipeline = pipeline
        self.outputDirectory = outputDirectory
        self.output = reducer.rank == 0 ? output : ProgressOutput { _ in }
        self.threadPlan = threadPlan
        self.reducer = reducer
    }

    /// Whether this process writes the run folder (rank 0).
    var writesFiles: Bool { reducer.rank == 0 }

    /// What a run produced.
    public struct Report {
        /// The trained model (best weights restored when early stopping asked for it).
        public var model: Model
        public var history: History
        /// Loss and metrics on the test folder, when the file has one.
        public var testLogs: Logs?
        /// Files written, in the run folder (none on ranks other than 0).
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
        if writesFiles { try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true) }
        let data = try PipelineData(pipeline: pipeline, threads: threads, processes: try ProcessShare(reducer))
        let baseLayers = try pipeline.base.map {
            try BaseModel.layers($0, inputShape: data.inputShape, outputDirectory: outputDirectory, output: output,
                                 reducer: reducer)
        } ?? []
        // After the base: training a base pipeline applies that file's own count.
        ThreadingPolicy.training(threads: threads.computeThreads).apply()
        let model = try ModelFactory.build(modelSection, base: baseLayers, inputShape: data.inputShape,
                                           seed: modelSection.seed ?? pipeline.data.seed, data: data, pipeline: pipeline)
        model.compile(optimizer: try training.optimizer.makeOptimizer(), loss: training.makeLoss(), metrics: [.automatic])
        model.trainer?.reducer = reducer
        output.write(model.summary() + "\n")
        output.write("Training on \(data.training.count) images in \(data.classNames.count) classes"
                      + (data.validation.map { ", validating on \($0.count)" } ?? "") + ".\n")

        let monitor = data.validationLoader == nil ? training.checkpointMonitor.replacingOccurrences(of: "val_", with: "")
            : training.checkpointMonitor
        let callbacks = try CallbackFactory(training: training, hasValidation: data.validationLoader != nil)
            .make(checkpoint: path("best.safetensors"), history: path("history.csv"), monitor: monitor, output: output,
                  writesFiles: writesFiles)
        let batches = data.trainingLoader
        let validation = data.validationLoader
        var history = try model.fit(batches, epochs: training.epochs, validationData: validation, callbacks: callbacks,
                                    verbose: Self.verbosity(training.verbose), output: output)
        if let fineTune = pipeline.fineTune {
            let unfrozen = model.unfreezeTop(layersWithWeights: fineTune.unfreezeTop, within: 0..<baseLayers.count)
            output.write("Fine-tuning \(unfrozen.joined(separator: ", ")) at learning rate \(fineTune.learningRate)\n")
            model.compile(optimizer: try training.optimizer.makeOptimizer(learningRate: fineTune.learningRate),
                          loss: training.makeLoss(), metrics: [.automatic])
            model.trainer?.reducer = reducer
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
        var artifacts: [String] = []
        if writesFiles {
            artifacts = ["history.csv", "best.safetensors"]
            artifacts += try RunArtifacts(outputDirectory: outputDirectory)
                .write(history: history, pipeline: pipeline.resolving(threads), comment: threadLine,
                       sampleFiles: data.sampleFiles)
        }
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
