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
/// output is the thread plan (``PipelineFile/threadPlan(threads:workers:replicas:processes:trains:environment:othersRunning:)``):
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
    /// The thread counts; nil resolves them from the file and the environment, `auto` taking the
    /// whole CPU budget (`augment train` passes a plan that leaves busy cores to their processes).
    public let threadPlan: ThreadPlan?
    /// Continue the run folder's checkpoint (`RUN/backup`) instead of starting afresh.
    public let resume: Bool
    /// Whether this run checkpoints and stops on signals: not for a base model trained
    /// inside another run (retrained deterministically when that run resumes).
    var isOutermost = true
    /// The memory limit (`--memory-limit`); nil takes `training.memory_limit`, else `MemoryLimit.current`.
    public var memoryLimit: MemoryLimit?
    /// The processes training together (data parallelism; see ``init(pipeline:outputDirectory:output:threadPlan:resume:reducer:)``).
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
                threadPlan: ThreadPlan? = nil, resume: Bool = false,
                reducer: any GradientReducer = LocalGradientReducer()) {
        self.pipeline = pipeline
        self.outputDirectory = outputDirectory
        self.output = reducer.rank == 0 ? output : ProgressOutput { _ in }
        self.threadPlan = threadPlan
        self.resume = resume
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
        /// Set when a stop signal ended training early (``StopSignals``).
        public var interruption: Interruption?
    }

    /// Where a signal stopped the run; `augment train --resume` continues from there.
    public struct Interruption: Sendable, Equatable {
        /// SIGINT or SIGTERM.
        public var signal: Int32
        /// The epoch (0-based) in progress and the batches of it done.
        public var epoch: Int
        public var batch: Int
        /// The checkpoint written.
        public var checkpoint: String
        /// `SIGINT` or `SIGTERM`.
        public var signalName: String { StopSignals.name(of: signal) }
    }

    /// The folder of the run's checkpoint.
    public var backupDirectory: String { path("backup") }

    var path: (String) -> String { { outputDirectory + "/" + $0 } }

    /// Trains and writes the artefacts.
    /// - Throws: ``WorkflowError`` for a file without `model`/`training` or a model
    ///   whose output does not fit the labels; `MemoryLimitError` for buffers over the
    ///   memory limit, before they are allocated; library errors (images, shapes) as they come.
    ///
    /// With a plan of several replicas (`ThreadPlan.replicas`), the run trains that many
    /// copies of the model on threads of their own (`ReplicaGroup`), each on its share of
    /// every batch as an MPI rank would be, and reports replica 0's model and logs.
    public func run() throws -> Report {
        let limit = memoryLimit ?? pipeline.training?.memoryLimit ?? MemoryLimit.current
        return try MemoryLimit.$current.withValue(limit) {
            let (threads, resumed) = try resolvedThreads()
            guard threads.replicas > 1, reducer.processCount == 1 else { return try train(threads: threads, resumed: resumed) }
            let group = ReplicaGroup(count: threads.replicas)
            let runs = (0..<threads.replicas).map { rank in
                var replica = TrainingRun(pipeline: pipeline, outputDirectory: outputDirectory, output: output,
                                          threadPlan: threadPlan, resume: resume, reducer: group.reducer(rank: rank))
                replica.isOutermost = isOutermost
                return replica
            }
            let replicas = Replicas(runs: runs)
            return try group.run(threadsPerReplica: threads.computeThreads) { reducer in
                try MemoryLimit.$current.withValue(limit) {
                    try replicas.runs[reducer.rank].train(threads: threads, resumed: resumed)
                }
            }[0]
        }
    }

    /// The plan this run trains with: the caller's, or the file's resolved without counting other
    /// processes; a resumed run whose counts are `auto` takes those it started with.
    private func resolvedThreads() throws -> (ThreadPlan, String) {
        // Without a plan from the caller (`augment train` measures the machine), the library's
        // default: `auto` takes the whole budget, whatever else is running.
        var threads = try threadPlan ?? pipeline.threadPlan(processes: reducer.processCount, othersRunning: 0)
        guard resume, isOutermost, threads.computeOrigin == .auto || threads.replicasOrigin == .auto,
              let metadata = (try? BackupAndRestore.storedCheckpoint(in: backupDirectory))??.metadata else { return (threads, "") }
        // `auto` may resolve otherwise under today's load; the run's counts keep its last bits.
        var resumed: [String] = []
        if threads.computeOrigin == .auto, let count = metadata[Self.computeThreadsKey].flatMap(Int.init) {
            threads.computeThreads = count
            resumed.append("compute threads")
        }
        if threads.replicasOrigin == .auto, reducer.processCount == 1 {
            // A checkpoint without the key comes from a version that trained one replica.
            threads.replicas = metadata[Self.replicasKey].flatMap(Int.init) ?? 1
            resumed.append("replicas")
        }
        return (threads, resumed.isEmpty ? "" : " (\(resumed.joined(separator: " and ")): the counts the run started with)")
    }

    private func train(threads: ThreadPlan, resumed resumedCount: String) throws -> Report {
        let started = Date()
        guard let modelSection = pipeline.model, let training = pipeline.training else {
            throw WorkflowError("augment train needs 'model' and 'training' sections")
        }
        guard pipeline.data.task == .classification else { throw WorkflowError(PipelineFile.untrainableTask(pipeline.data.task)) }
        let threadLine = "Threads: \(threads); libgomp wait: \(OpenMPWaitPolicy.current)\(resumedCount)"
        output.write(threadLine + "\n")
        if writesFiles { try RunFolder.prepare(outputDirectory) }
        var loaderThreads = threads  // replicas share the loader workers (under MPI `replicas` is 1)
        loaderThreads.loaderWorkers = max(1, threads.loaderWorkers / threads.replicas)
        let data = try PipelineData(pipeline: pipeline, threads: loaderThreads, processes: try ProcessShare(reducer))
        let baseLayers = try pipeline.base.map {
            try BaseModel.layers($0, inputShape: data.inputShape, seed: modelSection.seed ?? pipeline.data.seed,
                                 outputDirectory: outputDirectory, output: output, reducer: reducer)
        } ?? []
        // After the base: training a base pipeline applies that file's own count.
        ThreadingPolicy.training(threads: threads.computeThreads).apply()
        let model = try ModelFactory.build(modelSection, base: baseLayers, inputShape: data.inputShape,
                                           seed: modelSection.seed ?? pipeline.data.seed, data: data, pipeline: pipeline)
        model.compile(optimizer: try training.optimizer.makeOptimizer(), loss: training.makeLoss(), metrics: [.automatic])
        model.trainer?.reducer = reducer
        output.write(model.summary() + "\n")
        if training.distributed.syncBatchNorm {
            let count = model.synchronizeBatchNormalization()
            if reducer.processCount > 1 {
                output.write("Batch normalization: \(count) layer\(count == 1 ? " normalizes" : "s normalize") with the global batch's statistics (training.distributed.sync_batch_norm)\n")
            }
        }
        output.write("Training on \(data.training.count) images in \(data.classNames.count) classes"
                      + (data.validation.map { ", validating on \($0.count)" } ?? "") + ".\n")

        let monitor = data.validationLoader == nil ? training.checkpointMonitor.replacingOccurrences(of: "val_", with: "")
            : training.checkpointMonitor
        var callbacks = try CallbackFactory(training: training, hasValidation: data.validationLoader != nil)
            .make(checkpoint: path("best.safetensors"), history: path("history.csv"), monitor: monitor, output: output,
                  writesFiles: writesFiles)
        var backup: BackupAndRestore?
        if isOutermost {
            backup = try makeBackup(training.backup, threads: threads)
            callbacks += [StopOnSignal(), backup!]
        }
        let batches = data.trainingLoader
        let validation = data.validationLoader
        var history: History
        do {
            history = try model.fit(batches, epochs: training.epochs, validationData: validation, callbacks: callbacks,
                                    verbose: Self.verbosity(training.verbose), output: output)
        } catch let TrainingError.interrupted(done, epoch, batch) {
            return try interrupted(model: model, history: done, epoch: epoch, batch: batch, checkpoint: backup,
                                   threads: threads, threadLine: threadLine, data: data, started: started)
        }
        if let fineTune = pipeline.fineTune {
            let unfrozen = pipeline.base?.application != nil && baseLayers.count == 1 && baseLayers[0] is Model
                ? BaseModel.unfreezeTop(fineTune.unfreezeTop, of: baseLayers[0] as! Model)
                : model.unfreezeTop(layersWithWeights: fineTune.unfreezeTop, within: 0..<baseLayers.count)
            output.write("Fine-tuning \(unfrozen.joined(separator: ", ")) at learning rate \(fineTune.learningRate)\n")
            model.compile(optimizer: try training.optimizer.makeOptimizer(learningRate: fineTune.learningRate),
                          loss: training.makeLoss(), metrics: [.automatic])
            model.trainer?.reducer = reducer
            let start = history.epochs.count
            // The phase checkpoints into its own folder; the first phase's checkpoint stays
            // until the run ends, so that a resumed run first restores the finished phase.
            var tuneCallbacks = callbacks.filter { !($0 is BackupAndRestore) }
            let tuneBackup = try backup.map {
                try training.backup.makeCallback(directory: path("backup/fine_tune"), metadata: $0.metadata)
            }
            if let tuneBackup {
                tuneBackup.beforeRename = backup?.beforeRename
                tuneCallbacks.append(tuneBackup)
            }
            do {
                let tuned = try model.fit(batches, epochs: start + fineTune.epochs, validationData: validation,
                                          callbacks: tuneCallbacks, initialEpoch: start,
                                          verbose: Self.verbosity(training.verbose), output: output)
                history.append(tuned)
            } catch let TrainingError.interrupted(done, epoch, batch) {
                var all = history
                all.append(done)
                return try interrupted(model: model, history: all, epoch: epoch, batch: batch, checkpoint: tuneBackup,
                                       threads: threads, threadLine: threadLine, data: data, started: started)
            }
            if let backup, training.backup.deleteCheckpoint, writesFiles {
                try? FileManager.default.removeItem(atPath: backup.checkpointPath)
                rmdir(backupDirectory)  // only when nothing else is in it
            }
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
                      wallSeconds: Date().timeIntervalSince(started), interruption: nil)
    }

    /// The report of a run a signal stopped, after writing the artefacts of the epochs done.
    private func interrupted(model: Model, history: History, epoch: Int, batch: Int, checkpoint: BackupAndRestore?,
                             threads: ThreadPlan, threadLine: String, data: PipelineData, started: Date) throws -> Report {
        let artifacts = !writesFiles ? [] : ["history.csv", "best.safetensors"].filter { FileManager.default.fileExists(atPath: path($0)) }
            + (try RunArtifacts(outputDirectory: outputDirectory)
                .write(history: history, pipeline: pipeline.resolving(threads), comment: threadLine, sampleFiles: data.sampleFiles))
        let interruption = Interruption(signal: StopSignals.received ?? SIGINT, epoch: epoch, batch: batch,
                                        checkpoint: checkpoint?.checkpointPath ?? "")
        return Report(model: model, history: history, testLogs: nil, artifacts: artifacts,
                      wallSeconds: Date().timeIntervalSince(started), interruption: interruption)
    }

    /// The checkpoint metadata key of the compute thread count a run started with.
    static let computeThreadsKey = "compute_threads"
    /// The checkpoint metadata key of the replica count a run started with.
    static let replicasKey = "replicas"

    /// The run's ``BackupAndRestore`` into ``backupDirectory``, after checking the folder:
    /// resuming needs a checkpoint taken with the same pipeline file; starting afresh
    /// needs none (an unfinished run is not silently discarded). The checkpoint records
    /// the compute threads and replicas of `threads`, which a resumed `auto` run takes again.
    func makeBackup(_ spec: BackupSpec, threads: ThreadPlan) throws -> BackupAndRestore {
        let yaml = try YAMLEncoder().encode(pipeline)
        let stored = try BackupAndRestore.storedCheckpoint(in: backupDirectory)
        if resume {
            guard let stored else {
                throw WorkflowError("\(outputDirectory) has no checkpoint to resume (no \(BackupAndRestore.checkpointPath(in: backupDirectory))): "
                                    + "the run finished (and deleted it), or stopped before its first checkpoint; start it again without --resume")
            }
            let differences = try PipelineDifference.keys(
                from: PipelineDifference.resolvedByThisVersion(stored.metadata["pipeline"] ?? ""), to: yaml)
            guard differences.isEmpty else {
                throw WorkflowError("the pipeline file differs from the one the run in \(outputDirectory) started with, at "
                                    + "\(differences.count) key(s):\n  " + differences.joined(separator: "\n  ")
                                    + "\nResume with the original file, or train into a new run folder.")
            }
            output.write("Resuming from \(BackupAndRestore.checkpointPath(in: backupDirectory)): epoch \(stored.epoch + 1), "
                         + "after batch \(stored.batch)\n")
        } else if stored != nil {
            throw WorkflowError("\(outputDirectory) holds a run's checkpoint (\(backupDirectory)): "
                                + "pass --resume to continue it, or remove that folder to start afresh")
        }
        let backup = try spec.makeCallback(directory: backupDirectory,
                                           metadata: ["pipeline": yaml, Self.computeThreadsKey: String(threads.computeThreads),
                                                      Self.replicasKey: String(threads.replicas)],
                                           keepingCheckpoint: pipeline.fineTune != nil)
        if let count = ProcessInfo.processInfo.environment[Self.faultInjectionVariable].flatMap(Int.init) {
            var writes = 0
            backup.beforeRename = {
                writes += 1
                if writes == count { kill(getpid(), SIGKILL) }
            }
        }
        return backup
    }

    /// Fault injection for tests: the process kills itself (SIGKILL) in the middle of its
    /// N-th checkpoint write, between the temporary file's flush and its rename.
    static let faultInjectionVariable = "AUGMENT_FAULT_KILL_IN_CHECKPOINT_WRITE"

    static func verbosity(_ level: Int) -> Verbosity {
        switch level {
        case 0: .silent
        case 2: .epochLines
        default: .progressBar
        }
    }
}

/// The runs of a replicated ``TrainingRun``, one per replica: each replica's thread
/// touches only its own run (its reducer, loaders and model), so handing the array to
/// the replicas' threads shares no mutable state.
private struct Replicas: @unchecked Sendable {
    let runs: [TrainingRun]
}
