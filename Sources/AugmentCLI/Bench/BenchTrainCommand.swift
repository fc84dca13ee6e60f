import ArgumentParser
import Benchmarks
import CPUBudget
import Distributed
import Foundation
import Tensors
import Training

/// `augment bench train`: training and inference throughput of the course models.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training and inference samples/s of the course CNNs on random 28x28x1 data.",
        discussion: """
            Example: augment bench train --model small --batches 64 --load 2
            Training runs as augment train would: with --threads and --replicas auto, as replicas \
            of the model on threads of their own when the batch splits into shares of 16 or more \
            (the table's "replicas × threads" column), else as one team of threads.
            Under mpirun -np N each batch size is the global batch, split over the ranks; rank 0 prints \
            the training rate and the gradient all-reduce's bytes and times per step (inference is not run). \
            Example: mpirun -np 2 augment bench train --model small --batches 64 --threads 1
            """)

    @Option(help: "small (93,322 params), large (421,642 params), both, or resnet (42,698 params, residual).")
    var model: CourseModelChoice = .both

    @Option(help: "Comma-separated training batch sizes.")
    var batches = CommaSeparated<Int>([32, 64, 128])

    @OptionGroup var stepping: BenchStepOptions

    @OptionGroup var threading: BenchThreadOptions

    @Option(help: "Model replicas training side by side on threads of their own: auto (when --threads is auto: as many as the CPU budget holds with at least 16 samples each) or a number.",
            transform: ThreadCount.option("--replicas"))
    var replicas: ThreadCount = .auto

    @OptionGroup var measurement: BenchRunOptions

    @Option(help: "Timed inference batches (of 256) per run.")
    var inferenceSteps: Int = 50

    @Flag(help: "Under mpirun: start each bucket's all-reduce during the backward pass, as its layers finish.")
    var overlap = false

    @Option(help: "Under mpirun: gradient bytes per all-reduce bucket, in KiB.")
    var bucketKb: Int = 4096

    func validate() throws {
        guard bucketKb > 0 else { throw ValidationError("--bucket-kb must be positive, got \(bucketKb)") }
    }

    func run() throws {
        BuildKind.warnIfDebug()
        let json = measurement.json
        if Communicator.isLaunchedByMPI() { return try runDistributed() }
        // The busy processes start first, so that `auto` sees them as it would see a user's.
        let (plan, setting, rows) = try measurement.underLoad {
            let plan = try ThreadPlan(threads: ThreadPlan.Request(flag: threading.threads))
            let setting = "threads \(plan.computeThreads) (\(plan.computeOrigin.rawValue)), CPU budget \(plan.budget), "
                + "\(measurement.loadDescription), "
                + "\(plan.othersRunning) thread\(plan.othersRunning == 1 ? "" : "s") of other processes running, "
                + "libgomp wait: \(OpenMPWaitPolicy.current)"
            if !json {
                print(setting)
                print("| model | batch | replicas × threads | train samples/s | infer samples/s (256) | train per CPU-s | infer per CPU-s | train runs |")
                print("|---|---|---|---:|---:|---:|---:|---|")
            }
            let rows = try benchmark(plan, replicated: true).run { row in
                guard !json else { return }
                print(String(format: "| %@ | %d | %d × %d | %.0f | %.0f | %.0f | %.0f | %@ |", row.model.label, row.batchSize,
                             row.parallelism.replicas, row.parallelism.threadsPerReplica,
                             row.trainSamplesPerSecond, row.inferenceSamplesPerSecond,
                             row.trainSamplesPerCPUSecond, row.inferenceSamplesPerCPUSecond,
                             row.trainRuns.map { String(format: "%.0f", $0) }.joined(separator: ", ")))
                fflush(nil)
            }
            return (plan, setting, rows)
        }
        let peak = TrainingBenchmark.peakResidentBytes() ?? 0
        if json {
            struct Report: Encodable {
                let threads: Int; let setting: String; let load: Int; let steps: Int; let runs: Int
                let peakRSSBytes: Int; let rows: [TrainingBenchmark.Row]
            }
            try BenchRunOptions.printJSON(Report(threads: plan.computeThreads, setting: setting, load: measurement.load,
                                                 steps: steps, runs: runs, peakRSSBytes: peak, rows: rows))
        } else {
            print(String(format: "peak RSS: %.1f MB", Double(peak) / 1_048_576))
        }
    }

    /// Timed steps and runs per row.
    private var steps: Int { stepping.steps ?? 200 }
    private var runs: Int { measurement.runs(default: 5) }

    /// The benchmark `plan` asks for; `replicated`, each batch size with the replicas its own
    /// plan resolves (`auto` replicas split each batch), else one team of the plan's threads.
    private func benchmark(_ plan: ThreadPlan, replicated: Bool) throws -> TrainingBenchmark {
        var split: [Int: TrainingBenchmark.Parallelism] = [:]
        for batch in batches.values where replicated {
            let batchPlan = try ThreadPlan(threads: ThreadPlan.Request(flag: threading.threads),
                                           replicas: ThreadPlan.Request(flag: replicas), batchSize: batch,
                                           othersRunning: plan.othersRunning)
            split[batch] = .init(replicas: batchPlan.replicas, threadsPerReplica: batchPlan.computeThreads)
        }
        return try TrainingBenchmark(models: model.models, batchSizes: batches.values, steps: steps,
                                     warmup: stepping.warmup ?? 20, threads: plan.computeThreads, parallelism: split,
                                     runs: runs, inferenceSteps: inferenceSteps)
    }

    /// The rows of a run under mpirun, printed by rank 0: each rank trains one replica.
    private func runDistributed() throws {
        let world = try Communicator()
        defer { world.finalize() }
        let plan = try ThreadPlan(threads: ThreadPlan.Request(flag: threading.threads), replicas: ThreadPlan.Request(flag: replicas),
                                  processes: world.size)
        let bench = try benchmark(plan, replicated: false)
        let distributed = DistributedTrainingBenchmark(bench: bench, world: world, overlap: overlap,
                                                       bucketBytes: bucketKb << 10)
        if world.rank == 0 {
            print("\(world.size) ranks × threads \(plan.computeThreads) (\(plan.computeOrigin.rawValue)), "
                  + "\(bucketKb) KiB buckets all-reduced \(overlap ? "during" : "after") the backward pass, libgomp wait: \(OpenMPWaitPolicy.current)")
            print("| model | global batch | train samples/s | step ms | all-reduce KB/step | buckets/step | started in backward/step | done by its end/step | exposed wait ms/step | MPI ms/step | train runs |")
            print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        }
        try distributed.run { row in
            guard world.rank == 0 else { return }
            let rate = TrainingBenchmark.median(row.runs)
            let stats = row.statistics
            func median(_ value: (ReductionStatistics) -> Double) -> Double { TrainingBenchmark.median(stats.map(value)) }
            func perStep(_ count: KeyPath<ReductionStatistics, Int>) -> Double {
                median { Double($0[keyPath: count]) / Double(max($0.steps, 1)) }
            }
            print(String(format: "| %@ | %d | %.0f | %.2f | %.1f | %.1f | %.1f | %.1f | %.3f | %.3f | %@ |", row.model.label, row.batchSize,
                         rate, 1000 * Double(row.batchSize) / rate, median(\.bytesPerStep) / 1024,
                         perStep(\.buckets), perStep(\.earlyBuckets), perStep(\.bucketsDoneEarly),
                         median(\.waitMillisecondsPerStep), median(\.callMillisecondsPerStep),
                         row.runs.map { String(format: "%.0f", $0) }.joined(separator: ", ")))
            fflush(nil)
        }
    }
}
