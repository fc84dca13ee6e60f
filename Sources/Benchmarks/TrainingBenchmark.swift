import Foundation
import Training

/// Release-build throughput of the course models on random 28×28×1 data:
/// training samples/s per batch size and inference samples/s at one batch
/// size, each the median of several timed runs after warm-up steps, with
/// every run kept (on a shared machine the runs can split into two groups).
///
/// ```swift
/// let bench = try TrainingBenchmark(models: [.small], batchSizes: [32], steps: 200, warmup: 20, threads: 2)
/// for row in try bench.run() { print(row) }
/// ```
///
/// A batch size given a ``Parallelism`` of several replicas trains that many
/// copies of the model on threads of their own (`ReplicaGroup`), each on its
/// share of the batch, as `augment train` does when its plan has replicas.
public struct TrainingBenchmark: Sendable {
    /// Which course model (see ``CourseModels``).
    public enum Model: String, Sendable, CaseIterable, Codable {
        case small, large, resnet

        /// Keras's parameter count, used as the row label.
        public var label: String {
            switch self {
            case .small: "93,322-param"
            case .large: "421,642-param"
            case .resnet: "42,698-param ResNet"
            }
        }

        func make(seed: UInt64) throws -> Training.Model {
            switch self {
            case .small: try CourseModels.small(seed: seed)
            case .large: try CourseModels.large(seed: seed)
            case .resnet: try CourseModels.residual(seed: seed)
            }
        }
    }

    /// How a batch size's training steps use the threads: `replicas` copies of the
    /// model, each running its kernels on `threadsPerReplica` threads.
    public struct Parallelism: Sendable, Codable, Equatable {
        public var replicas: Int
        public var threadsPerReplica: Int

        public init(replicas: Int, threadsPerReplica: Int) {
            self.replicas = replicas
            self.threadsPerReplica = threadsPerReplica
        }
    }

    /// One measured row.
    public struct Row: Sendable, Codable, Equatable {
        public var model: Model
        public var batchSize: Int
        /// How the training steps ran.
        public var parallelism: Parallelism
        /// Median training samples per second.
        public var trainSamplesPerSecond: Double
        /// Median inference samples per second at `inferenceBatchSize`.
        public var inferenceSamplesPerSecond: Double
        /// Median training samples per second of process CPU time: on a loaded
        /// machine, with one thread, this approximates the uncontended rate.
        public var trainSamplesPerCPUSecond: Double
        /// Median inference samples per second of process CPU time.
        public var inferenceSamplesPerCPUSecond: Double
        public var inferenceBatchSize: Int
        /// Training samples per second of every run, in order.
        public var trainRuns: [Double]
        /// Inference samples per second of every run, in order.
        public var inferenceRuns: [Double]
    }

    public let models: [Model]
    public let batchSizes: [Int]
    public let steps: Int
    public let warmup: Int
    /// Threads of inference, and of training at batch sizes without a ``parallelism`` entry.
    public let threads: Int
    /// How training runs at each batch size; one team of ``threads`` where it has no entry.
    public let parallelism: [Int: Parallelism]
    public let runs: Int
    public let inferenceBatchSize: Int
    public let inferenceSteps: Int

    public init(models: [Model] = Model.allCases, batchSizes: [Int] = [32, 64, 128], steps: Int = 200, warmup: Int = 20,
                threads: Int = 2, parallelism: [Int: Parallelism] = [:], runs: Int = 5, inferenceBatchSize: Int = 256,
                inferenceSteps: Int = 50) throws {
        try require(!models.isEmpty, "models", models, "at least one model")
        try require(batchSizes.allSatisfy { $0 > 0 } && !batchSizes.isEmpty, "batches", batchSizes, "must be positive")
        try require(steps > 0, "steps", steps, "must be positive")
        try require(warmup >= 0, "warmup", warmup, "must be ≥ 0")
        try require(threads > 0, "threads", threads, "must be positive")
        for (batch, split) in parallelism {
            try require(split.replicas > 0 && split.threadsPerReplica > 0 && batch % split.replicas == 0, "replicas",
                        split.replicas, "must be positive, split the batch of \(batch) evenly, and have positive threads")
        }
        try require(runs > 0, "runs", runs, "must be positive")
        try require(inferenceBatchSize > 0 && inferenceSteps > 0, "inference", inferenceBatchSize, "batch and steps must be positive")
        self.models = models; self.batchSizes = batchSizes; self.steps = steps; self.warmup = warmup
        self.threads = threads; self.parallelism = parallelism; self.runs = runs
        self.inferenceBatchSize = inferenceBatchSize; self.inferenceSteps = inferenceSteps
    }

    /// Random inputs in [0, 1) and random one-hot targets for `count` samples.
    public static func randomBatch(count: Int, seed: UInt64) -> Batch {
        let key = CounterRandom.key([seed, 0xBE])
        let inputs = (0..<(count * 784)).map { CounterRandom.uniform(key: key, counter: UInt64($0)) }
        var targets = [Float](repeating: 0, count: count * 10)
        for n in 0..<count { targets[n * 10 + Int(CounterRandom.bits(key: key ^ 1, counter: UInt64(n)) % 10)] = 1 }
        return Batch(inputs: Tensor(shape: [count, 28, 28, 1], scalars: inputs), targets: Tensor(shape: [count, 10], scalars: targets))
    }

    /// Runs every (model, batch size) row; `progress` receives each row as it is measured.
    public func run(progress: (Row) -> Void = { _ in }) throws -> [Row] {
        var rows: [Row] = []
        for kind in models {
            ThreadingPolicy.training(threads: threads).apply()
            let inference = try (0..<runs).map { _ in try inferenceRate(kind) }
            for batchSize in batchSizes {
                let split = parallelism(of: batchSize)
                let train = try (0..<runs).map { _ in try trainingRate(kind, batchSize: batchSize, parallelism: split) }
                let row = Row(model: kind, batchSize: batchSize, parallelism: split,
                              trainSamplesPerSecond: Self.median(train.map(\.wall)),
                              inferenceSamplesPerSecond: Self.median(inference.map(\.wall)),
                              trainSamplesPerCPUSecond: Self.median(train.map(\.cpu)),
                              inferenceSamplesPerCPUSecond: Self.median(inference.map(\.cpu)),
                              inferenceBatchSize: inferenceBatchSize,
                              trainRuns: train.map(\.wall), inferenceRuns: inference.map(\.wall))
                progress(row)
                rows.append(row)
            }
        }
        return rows
    }

    /// Samples per wall-clock second and per second of process CPU time.
    public struct Rate: Sendable { public var wall: Double; public var cpu: Double }

    /// Times `body`, returning samples per wall and per CPU second.
    public static func rate(samples: Int, _ body: () throws -> Void) rethrows -> Rate {
        let cpuStart = processCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = processCPUSeconds() - cpuStart
        return Rate(wall: Double(samples) / seconds, cpu: Double(samples) / max(cpu, 1e-9))
    }

    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// How training runs at `batchSize`.
    public func parallelism(of batchSize: Int) -> Parallelism {
        parallelism[batchSize] ?? Parallelism(replicas: 1, threadsPerReplica: threads)
    }

    /// Training samples/s of one run with `parallelism`: one team of its threads, or its
    /// replicas (rank 0's rate, whose clock starts when every replica has warmed up).
    public func trainingRate(_ kind: Model, batchSize: Int, parallelism split: Parallelism) throws -> Rate {
        guard split.replicas > 1 else {
            ThreadingPolicy.training(threads: split.threadsPerReplica).apply()
            return try trainingRate(kind, batchSize: batchSize)
        }
        let bench = self
        return try ReplicaGroup(count: split.replicas).run(threadsPerReplica: split.threadsPerReplica) { reducer in
            try bench.trainingRate(kind, batchSize: batchSize, reducer: reducer) {
                var start = [0.0]
                try reducer.sum(&start)
            }
        }[0]
    }

    /// Training samples/s of one run. With a `reducer` of several processes
    /// (every one calls this together), `batchSize` is the global batch: each
    /// process steps on its share and the rate counts the global samples.
    /// `afterWarmup` runs between the warm-up and the timed steps.
    public func trainingRate(_ kind: Model, batchSize: Int, reducer: any GradientReducer = LocalGradientReducer(),
                             afterWarmup: () throws -> Void = {}) throws -> Rate {
        try require(batchSize % reducer.processCount == 0, "batchSize", batchSize,
                    "must split evenly over \(reducer.processCount) processes")
        let model = try kind.make(seed: 1)
        model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy())
        model.trainer!.reducer = reducer
        let batch = TrainingBenchmark.randomBatch(count: batchSize / reducer.processCount, seed: 2 + UInt64(reducer.rank))
        for _ in 0..<warmup { try model.trainStep(batch) }
        try afterWarmup()
        return try TrainingBenchmark.rate(samples: steps * batchSize) {
            for _ in 0..<steps { try model.trainStep(batch) }
        }
    }

    /// Inference samples/s of one run.
    public func inferenceRate(_ kind: Model) throws -> Rate {
        let model = try kind.make(seed: 1)
        let batch = TrainingBenchmark.randomBatch(count: inferenceBatchSize, seed: 3)
        for _ in 0..<max(warmup / 4, 1) { _ = try model.predict(batch.inputs, batchSize: inferenceBatchSize) }
        return try TrainingBenchmark.rate(samples: inferenceSteps * inferenceBatchSize) {
            for _ in 0..<inferenceSteps { _ = try model.predict(batch.inputs, batchSize: inferenceBatchSize) }
        }
    }

    /// The median of `values` (the mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Peak resident set size of this process (VmHWM in /proc/self/status), in bytes.
    public static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}

/// Throws ``TrainingError/invalidArgument(parameter:value:reason:)`` unless `condition` holds.
private func require(_ condition: Bool, _ parameter: String, _ value: Any, _ reason: String) throws {
    if !condition { throw TrainingError.invalidArgument(parameter: parameter, value: "\(value)", reason: reason) }
}
