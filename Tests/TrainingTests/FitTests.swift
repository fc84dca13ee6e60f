import Foundation
import Benchmarks
import Testing
import TestSupport
@testable import Training

/// A synthetic 8×8×1 image task: class 0 has a bright top half, class 1 a
/// bright bottom half (plus noise); one-hot targets.
enum Synthetic {
    static func halves(count: Int, seed: UInt64, classes: [Int] = [0, 1]) -> (x: Tensor, y: Tensor) {
        var x = [Float](), y = [Float]()
        let key = CounterRandom.key([seed])
        for n in 0..<count {
            let label = classes[n % classes.count]
            for row in 0..<8 {
                for col in 0..<8 {
                    let noise = CounterRandom.uniform(key: key, counter: UInt64(n * 64 + row * 8 + col)) * 0.4
                    let bright: Bool
                    switch label {
                    case 0: bright = row < 4
                    case 1: bright = row >= 4
                    case 2: bright = col < 4
                    default: bright = col >= 4
                    }
                    x.append((bright ? 0.8 : 0.1) + noise)
                }
            }
            y += (0..<classes.count).map { $0 == n % classes.count ? 1 : 0 }
        }
        return (Tensor(shape: [count, 8, 8, 1], scalars: x), Tensor(shape: [count, classes.count], scalars: y))
    }

    static func model(seed: UInt64, classes: Int = 2) throws -> Sequential {
        try Sequential(inputShape: [8, 8, 1], seed: seed, layers: [
            Conv2D(filters: 4, kernelSize: (3, 3), activation: .relu),
            MaxPooling2D(),
            Flatten(),
            Dense(units: 8, activation: .relu),
            Dropout(rate: 0.25),
            Dense(units: classes, activation: .softmax),
        ])
    }
}

@Suite struct FitTests {
    @Test func learnsASeparableTask() throws {
        let data = Synthetic.halves(count: 64, seed: 1)
        let model = try Synthetic.model(seed: 3)
        model.compile(optimizer: try Adam(learningRate: 1e-2), loss: CategoricalCrossentropy(), metrics: [.automatic])
        let history = try model.fit(x: data.x, y: data.y, batchSize: 16, epochs: 8, verbose: .silent)
        #expect(history.epochs == Array(0..<8))
        #expect(history["loss"].last! < history["loss"].first!)
        let test = Synthetic.halves(count: 32, seed: 2)
        #expect(try model.evaluate(x: test.x, y: test.y)["accuracy"]! >= 0.95)
    }

    @Test func seededRunsAreIdentical() throws {
        func run(seed: UInt64) throws -> [[Float]] {
            let data = Synthetic.halves(count: 32, seed: 1)
            let model = try Synthetic.model(seed: seed)
            model.compile(optimizer: try Adam(learningRate: 1e-2), loss: CategoricalCrossentropy())
            try model.fit(x: data.x, y: data.y, batchSize: 8, epochs: 2, verbose: .silent)
            return model.weightValues()
        }
        #expect(try run(seed: 5) == run(seed: 5))
        #expect(try run(seed: 5) != run(seed: 6))
    }

    /// The course model on oneDNN's kernels with two threads (split
    /// reductions in the weight gradients and GEMMs) still replays exactly.
    @Test func seededCourseModelRunsAreIdenticalOnTwoThreads() throws {
        func run() throws -> [[Float]] {
            let model = try CourseModels.small(seed: 3)
            model.compile(optimizer: try Adam(), loss: CategoricalCrossentropy())
            model.threading = .training(threads: 2)
            let batch = TrainingBenchmark.randomBatch(count: 32, seed: 4)
            try model.fit(x: batch.inputs, y: batch.targets, batchSize: 16, epochs: 2, verbose: .silent)
            return model.weightValues()
        }
        let first = try run()
        #expect(try run() == first)
    }

    @Test func validationSplitHoldsOutTheLastFraction() throws {
        let data = Synthetic.halves(count: 40, seed: 1)
        let model = try Synthetic.model(seed: 3)
        model.compile(optimizer: try SGD(learningRate: 0.05), loss: CategoricalCrossentropy(), metrics: [.automatic])
        let history = try model.fit(x: data.x, y: data.y, batchSize: 8, epochs: 1, validationSplit: 0.25, verbose: .silent)
        let held = try model.evaluate(x: data.x.slicing(30..<40), y: data.y.slicing(30..<40))
        // Batches of 8 here and 32 there: the GEMM's blocking may move the logits' last bit.
        #expect(abs(history["val_loss"][0] - held["loss"]!) < 1e-6)
        #expect(abs(history["val_accuracy"][0] - held["accuracy"]!) < 1e-9)
        #expect(throws: TrainingError.self) {
            try model.fit(x: data.x, y: data.y, epochs: 1, validationSplit: 1.5, verbose: .silent)
        }
    }

    @Test func batchSourceIsAskedOncePerEpoch() throws {
        let data = Synthetic.halves(count: 16, seed: 1)
        final class Counter { var epochs: [Int] = [] }
        let counter = Counter()
        let source = EpochBatches(count: 2) { epoch, _ -> [Batch] in
            counter.epochs.append(epoch)
            return Array(InMemoryBatches(inputs: data.x, targets: data.y, batchSize: 8, shuffle: true, seed: 1).batches(epoch: epoch))
        }
        let model = try Synthetic.model(seed: 1)
        model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
        try model.fit(source, epochs: 4, initialEpoch: 1, verbose: .silent)
        #expect(counter.epochs == [1, 2, 3])
    }

    @Test func anErrorThatCutAnEpochShortReachesFit() throws {
        struct CutShort: Error, Equatable {}
        struct FailingSource: BatchSource {
            let batches: [Batch]
            final class Log { var trainedEpochs = 0 }
            let log = Log()
            func batches(epoch: Int) -> [Batch] { epoch == 1 ? Array(batches.prefix(1)) : batches }
            func finish(_ batches: [Batch]) throws {
                if batches.count == 1 { throw CutShort() }
                log.trainedEpochs += 1
            }
        }
        let data = Synthetic.halves(count: 16, seed: 1)
        let source = FailingSource(batches: Array(InMemoryBatches(inputs: data.x, targets: data.y, batchSize: 8).batches(epoch: 0)))
        let model = try Synthetic.model(seed: 1)
        model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
        #expect(throws: CutShort()) { try model.fit(source, epochs: 3, verbose: .silent) }
        #expect(source.log.trainedEpochs == 1)
        #expect(model.trainer!.step == 3)
    }

    @Test func progressBarWritesKerasLinesAndRedrawsOnlyInATerminal() throws {
        let data = Synthetic.halves(count: 16, seed: 1)
        let model = try Synthetic.model(seed: 1)
        model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy(), metrics: [.automatic])
        final class Sink { var text = "" }
        let sink = Sink()
        try model.fit(x: data.x, y: data.y, batchSize: 4, epochs: 2, validationSplit: 0.25,
                      output: ProgressOutput(isTerminal: true) { sink.text += $0 })
        #expect(sink.text.contains("Epoch 1/2\n"))
        #expect(sink.text.contains("3/3 [==============================] - "))
        #expect(sink.text.contains("ms/step - loss: ") || sink.text.contains("us/step - loss: "))
        #expect(sink.text.contains(" - accuracy: "))
        #expect(sink.text.contains(" - val_loss: "))
        let quiet = Sink()
        try model.fit(x: data.x, y: data.y, batchSize: 4, epochs: 1, verbose: .epochLines, output: ProgressOutput { quiet.text += $0 })
        #expect(quiet.text.hasPrefix("Epoch 1/1\n4/4 - "))
        #expect(!quiet.text.contains("["))
        // Into a pipe or a file the progress bar is one line per epoch, without carriage returns.
        let piped = Sink()
        try model.fit(x: data.x, y: data.y, batchSize: 4, epochs: 2, output: ProgressOutput { piped.text += $0 })
        let lines = piped.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!piped.text.contains("\r") && !piped.text.contains("["))
        #expect(lines.count == 5 && lines.last == "")
        #expect(lines[0] == "Epoch 1/2" && lines[1].hasPrefix("4/4 - ") && lines[1].contains(" - loss: "))
        #expect(lines[2] == "Epoch 2/2" && lines[3].hasPrefix("4/4 - "))
    }

    @Test func checkpointAndCSVLogger() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let data = Synthetic.halves(count: 24, seed: 1)
        let model = try Synthetic.model(seed: 1)
        model.compile(optimizer: try Adam(learningRate: 1e-2), loss: CategoricalCrossentropy(), metrics: [.automatic])
        let checkpoint = try ModelCheckpoint(path: directory.path + "/best-{epoch}.safetensors", monitor: "loss")
        let csv = CSVLogger(path: directory.path + "/log.csv")
        let history = try model.fit(x: data.x, y: data.y, batchSize: 8, epochs: 3, callbacks: [checkpoint, csv], verbose: .silent)
        var best = Double.infinity
        var expected: [String] = []
        for (epoch, loss) in history["loss"].enumerated() where loss < best {
            best = loss
            expected.append(directory.path + String(format: "/best-%02d.safetensors", epoch + 1))
        }
        #expect(checkpoint.saved == expected)
        let lines = try String(contentsOfFile: directory.path + "/log.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "epoch,accuracy,learning_rate,loss")
        #expect(lines.count == 4)
    }
}
