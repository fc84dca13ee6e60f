import Applications
import ArgumentParser
import CPUBudget
import Foundation
import Training

/// `augment bench model`: inference and training throughput of an application at a real size.
struct BenchModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inference images/s and training samples/s of a keras.applications model on random images.",
        discussion: """
            Modes: inference (predict), train (the whole network with its 1000-class top), frozen (the base \
            frozen under GlobalAveragePooling2D, Dense(128, relu), Dropout(0.3), Dense(10, softmax)). \
            Run one mode per invocation to read each mode's peak resident memory. \
            Example: augment bench model --application mobilenet_v2 --size 224 --batch 32 --mode inference
            """)

    @Option(help: "vgg16, resnet50, mobilenet_v2 or efficientnet_b0.")
    var application: String = "mobilenet_v2"

    @Option(help: "Input height and width.")
    var size: Int = 224

    @Option(help: "Batch size.")
    var batch: Int = 32

    @Option(help: "Comma-separated modes: inference, train, frozen.")
    var mode: String = "inference,train,frozen"

    @Option(help: "Timed batches per run.")
    var steps: Int = 10

    @Option(help: "Untimed warm-up batches.")
    var warmup: Int = 2

    @Option(help: "Runs per mode (the median and every run are reported).")
    var runs: Int = 3

    @Option(help: "Threads (oneDNN's OpenMP threads): auto (OMP_NUM_THREADS, or the CPU budget less the cores other processes keep busy) or a number.",
            transform: ThreadCount.option("--threads"))
    var threads: ThreadCount = .auto

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    /// One mode's median and runs, for `--json`.
    struct Row: Encodable { let mode: String; let samplesPerSecond: Double; let runs: [Double] }

    func run() throws {
        BuildKind.warnIfDebug()
        guard let app = Application(name: application) else {
            throw ValidationError("--application must be one of \(Application.allCases.map(\.rawValue).joined(separator: ", ")), not '\(application)'")
        }
        let modes = try mode.split(separator: ",").map { part -> ApplicationBenchmark.Mode in
            guard let one = ApplicationBenchmark.Mode(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--mode: '\(part)' is not inference, train or frozen")
            }
            return one
        }
        let bench: ApplicationBenchmark
        do {
            bench = try ApplicationBenchmark(application: app, size: size, batch: batch, steps: steps, warmup: warmup, runs: runs)
        } catch { throw ValidationError("\(error)") }
        let plan = try ThreadPlan(threads: ThreadPlan.Request(flag: threads))
        ThreadingPolicy.training(threads: plan.computeThreads).apply()
        let setting = "\(app.rawValue) \(size)x\(size)x3, batch \(batch), threads \(plan.computeThreads) (\(plan.computeOrigin.rawValue))"
        if !json {
            print(setting)
            print("| mode | samples/s | runs |")
            print("|---|---:|---|")
        }
        var rows: [Row] = []
        for one in modes {
            let rates = try bench.rates(one)
            let sorted = rates.sorted()
            let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
                : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            rows.append(Row(mode: one.rawValue, samplesPerSecond: median, runs: rates))
            guard !json else { continue }
            print(String(format: "| %@ | %.1f | %@ |", one.rawValue, median,
                         rates.map { String(format: "%.1f", $0) }.joined(separator: ", ")))
            fflush(nil)
        }
        let peak = TrainingBenchmark.peakResidentBytes() ?? 0
        guard json else { return print(String(format: "peak RSS: %.1f MB", Double(peak) / 1_048_576)) }
        struct Report: Encodable { let setting: String; let peakRSSBytes: Int; let rows: [Row] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(Report(setting: setting, peakRSSBytes: peak, rows: rows)), as: UTF8.self))
    }
}
