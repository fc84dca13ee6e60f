import ArgumentParser
import CPUBudget
import Distributed
import Foundation
import Training
import Workflows

/// `augment train PIPELINE`: trains the pipeline file's model and writes a run folder.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the pipeline file's model on its data and evaluate it on its test folder.",
        discussion: """
            Writes history.csv, training_curves.png, best.safetensors, pipeline.resolved.yaml and \
            augmented_samples.png into the run folder.
            The first line names the thread plan: the CPU budget (affinity mask, cgroup quota), \
            the compute threads, model replicas and loader workers and where each came from (auto < \
            OMP_NUM_THREADS < the file's threads:/replicas:/workers: < --threads/--replicas/--workers).
            Every run checkpoints into RUN/backup (training.backup: save_freq, delete_checkpoint); \
            Ctrl-C or SIGTERM stops at the end of the current batch with a checkpoint (exit status \
            130 or 143; a second Ctrl-C exits at once), and --resume continues a stopped or killed \
            run to the same result.
            Example: augment train pipelines/digits-cnn.yaml --out runs/digits
            Under mpirun -np N every process trains on its share of each global batch \
            (data.batch_size / N) and the gradients are all-reduced over MPI; rank 0 prints \
            and writes the run folder (training.distributed: sync_batch_norm, overlap, bucket_kib). \
            Example: mpirun -np 2 augment train pipelines/digits-cnn.yaml
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(name: .customLong("out"), help: "Run folder (default: runs/<pipeline name>).")
    var outputDirectory: String?

    @Option(help: "Training threads: auto or a number (overrides the file's training.threads).",
            transform: ThreadCount.option("--threads"))
    var threads: ThreadCount?

    @Option(help: "Model replicas training side by side, each on its share of every batch: auto or a number (overrides the file's training.replicas).",
            transform: ThreadCount.option("--replicas"))
    var replicas: ThreadCount?

    @Option(help: "Loader workers: auto or a number (overrides the file's data.workers).",
            transform: ThreadCount.option("--workers"))
    var workers: ThreadCount?

    @Flag(help: "Continue the run folder's last checkpoint (the pipeline file must be the one the run started with).")
    var resume = false

    @Option(help: "Memory the run's buffers may take: 8GB, 512MiB, 50% (overrides the file's training.memory_limit; default 80% of physical or cgroup memory).",
            transform: { try MemoryLimit(parsing: $0, origin: "--memory-limit") })
    var memoryLimit: MemoryLimit?

    func run() throws {
        let world = Communicator.isLaunchedByMPI() ? try Communicator() : nil
        defer { world?.finalize() }
        if (world?.rank ?? 0) == 0 { BuildKind.warnIfDebug() }
        let file = try PipelineFileLoader.load(path: pipeline)
        let distributed = file.training?.distributed ?? DistributedSpec()
        let reducer: any GradientReducer = world.map {
            MPIGradientReducer(communicator: $0, bucketBytes: distributed.bucketKiB << 10, overlap: distributed.overlap)
        } ?? LocalGradientReducer()
        let plan = try file.threadPlan(threads: threads, workers: workers, replicas: replicas, processes: world?.size ?? 1)
        let name = URL(fileURLWithPath: pipeline).deletingPathExtension().lastPathComponent
        let folder = outputDirectory ?? "runs/\(name)"
        StopSignals.install()
        let report: TrainingRun.Report
        do {
            var run = TrainingRun(pipeline: file, outputDirectory: folder, threadPlan: plan, resume: resume,
                                  reducer: reducer)
            run.memoryLimit = memoryLimit
            report = try run.run()
        } catch let error where world != nil {
            // Printed here: the other ranks may wait in a collective this rank never joins,
            // and then the job ends without finalizing (`finalizeAfterFailure`).
            let failure = RankError(rank: reducer.rank, processCount: reducer.processCount, error: error)
            FileHandle.standardError.write(Data("Error: \(failure)\n".utf8))
            world?.finalizeAfterFailure()
            throw ExitCode.failure
        }
        guard reducer.rank == 0 else {
            if let stop = report.interruption { throw ExitCode(128 + stop.signal) }
            return
        }
        if let world {
            print("Processes: \(world.size) (MPI), global batch \(file.data.batchSize)")
        }
        if let stop = report.interruption {
            print("Stopped by \(stop.signalName) in epoch \(stop.epoch + 1) after batch \(stop.batch); checkpoint: \(stop.checkpoint)")
            print("Wrote \(report.artifacts.map { folder + "/" + $0 }.joined(separator: ", "))")
            let options = CommandLine.arguments.dropFirst().filter { $0 != "--resume" }
            print("Resume with: augment \((options + ["--resume"]).joined(separator: " "))")
            throw ExitCode(128 + stop.signal)
        }
        print("Wrote \(report.artifacts.map { folder + "/" + $0 }.joined(separator: ", "))")
        print(String(format: "Wall time: %.1f s", report.wallSeconds))
    }
}

/// An error of one process of an MPI run, named by its rank (every rank prints its own).
struct RankError: Error, CustomStringConvertible {
    let rank: Int
    let processCount: Int
    let error: any Error

    var description: String { "rank \(rank) of \(processCount): \(error)" }
}
