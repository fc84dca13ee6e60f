import Applications
import Foundation
import Training

/// Release-build throughput of an application at a real input size, on
/// random data: inference images/s, training samples/s of the whole network
/// (with its 1000-class top), and training samples/s of the course's
/// transfer-learning model (the base frozen, then `GlobalAveragePooling2D`,
/// `Dense(128, relu)`, `Dropout(0.3)`, `Dense(10, softmax)`). Each figure is
/// the median of several timed runs after warm-up steps; every run is kept.
///
/// ```swift
/// let bench = try ApplicationBenchmark(application: .mobileNetV2, size: 224, batch: 32)
/// print(try bench.rates(.inference))
/// ```
public struct ApplicationBenchmark: Sendable {
    /// What a run measures.
    public enum Mode: String, Sendable, CaseIterable, Codable {
        /// `predict` on batches of `batch` images.
        case inference
        /// Training steps of the whole network, its classifier top included.
        case train
        /// Training steps with the base frozen and the course's head on top.
        case frozen
    }

    public let application: Application
    public let size: Int
    public let batch: Int
    public let steps: Int
    public let warmup: Int
    public let runs: Int

    /// Throws when a count is not positive (warm-up may be 0).
    public init(application: Application, size: Int = 224, batch: Int = 32, steps: Int = 10, warmup: Int = 2,
                runs: Int = 3) throws {
        for (name, value) in [("size", size), ("batch", batch), ("steps", steps), ("runs", runs)] where value < 1 {
            throw TrainingError.invalidArgument(parameter: name, value: "\(value)", reason: "must be positive")
        }
        guard warmup >= 0 else {
            throw TrainingError.invalidArgument(parameter: "warmup", value: "\(warmup)", reason: "must be ≥ 0")
        }
        self.application = application; self.size = size; self.batch = batch
        self.steps = steps; self.warmup = warmup; self.runs = runs
    }

    /// Samples per wall-clock second of each run of `mode`, in order.
    public func rates(_ mode: Mode) throws -> [Double] {
        let model = try makeModel(mode)
        let classes = model.outputWidth
        let inputs = randomImages()
        if mode == .inference {
            for _ in 0..<warmup { _ = try model.predict(inputs, batchSize: batch) }
            return try (0..<runs).map { _ in
                try TrainingBenchmark.rate(samples: steps * batch) {
                    for _ in 0..<steps { _ = try model.predict(inputs, batchSize: batch) }
                }.wall
            }
        }
        model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy())
        var targets = [Float](repeating: 0, count: batch * classes)
        for n in 0..<batch { targets[n * classes + (n * 7) % classes] = 1 }
        let step = Batch(inputs: inputs, targets: Tensor(shape: [batch, classes], scalars: targets))
        for _ in 0..<warmup { try model.trainStep(step) }
        return try (0..<runs).map { _ in
            try TrainingBenchmark.rate(samples: steps * batch) {
                for _ in 0..<steps { try model.trainStep(step) }
            }.wall
        }
    }

    /// The model `mode` runs: the application with its top, or the frozen
    /// base under the course's head.
    public func makeModel(_ mode: Mode) throws -> Model {
        let shape = [size, size, 3]
        guard mode == .frozen else {
            return try application.model(ApplicationOptions(includeTop: true, inputShape: shape, seed: 1))
        }
        let base = try application.model(ApplicationOptions(includeTop: false, inputShape: shape, seed: 1))
        base.trainable = false
        return try Sequential(inputShape: shape, seed: 2, layers: [
            base, GlobalAveragePooling2D(), Dense(units: 128, activation: .relu), Dropout(rate: 0.3),
            Dense(units: 10, activation: .softmax),
        ])
    }

    /// `batch` random images with values in [-1, 1).
    func randomImages() -> Tensor {
        let key = CounterRandom.key([7, 0xA9])
        let count = batch * size * size * 3
        return Tensor(shape: [batch, size, size, 3],
                      scalars: (0..<count).map { 2 * CounterRandom.uniform(key: key, counter: UInt64($0)) - 1 })
    }
}
