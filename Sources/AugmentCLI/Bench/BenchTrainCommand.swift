import ArgumentParser
import Foundation
import Training

/// `augment bench train`: training and inference throughput of the course models.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training and inference samples/s of the course CNNs on random 28x28x1 data.")

    @Option(help: "small (93,322 params), large (421,642 params), both, or resnet (42,698 params, residual).")
    var model: String = "both"

    @Option(help: "Comma-separated training batch sizes.")
    var batches: String = "32,64,128"

    @Option(help: "Timed steps per run.")
    var steps: Int = 200

    @Option(help: "Untimed warm-up steps per run.")
    var warmup: Int = 20

    @Option(help: "Training threads (oneDNN's OpenMP threads).")
    var threads: Int = 2

    @Option(help: "Runs per row (the median is reported).")
    var runs: Int = 5

    @Option(help: "Timed inference batches (of 256) per run.")
    var inferenceSteps: Int = 50

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let models: [TrainingBenchmark.Model]
        switch model {
        case "both": models = [.small, .large]
        default:
            guard let one = TrainingBenchmark.Model(rawValue: model) else {
                throw ValidationError("--model must be small, large, both or resnet, not '\(model)'")
            }
            models = [one]
        }
        let sizes = try batches.split(separator: ",").map { part -> Int in
            guard let size = Int(part.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--batches: '\(part)' is not an integer")
            }
            return size
        }
        let bench = try TrainingBenchmark(models: models, batchSizes: sizes, steps: steps, warmup: warmup,
                                          threads: threads, runs: runs, inferenceSteps: inferenceSteps)
        if !json { print("| model | batch | train samples/s | infer samples/s (256) | train per CPU-s | infer per CPU-s |\n|---|---|---:|---:|---:|---:|") }
        let rows = try bench.run { row in
            guard !json else { return }
            print(String(format: "| %@ | %d | %.0f | %.0f | %.0f | %.0f |", row.model.label, row.batchSize,
                         row.trainSamplesPerSecond, row.inferenceSamplesPerSecond,
                         row.trainSamplesPerCPUSecond, row.inferenceSamplesPerCPUSecond))
            fflush(nil)
        }
        let peak = TrainingBenchmark.peakResidentBytes() ?? 0
        if json {
            struct Report: Encodable { let threads: Int; let steps: Int; let runs: Int; let peakRSSBytes: Int; let rows: [TrainingBenchmark.Row] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(Report(threads: threads, steps: steps, runs: runs, peakRSSBytes: peak, rows: rows))
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "peak RSS: %.1f MB", Double(peak) / 1_048_576))
        }
    }
}
