import Applications
import ArgumentParser
import Benchmarks
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

    @Option(help: "The keras.applications model.")
    var application: Application = .mobileNetV2

    @Option(help: "Input height and width.")
    var size: Int = 224

    @Option(help: "Batch size.")
    var batch: Int = 32

    @Option(help: "Comma-separated modes.")
    var mode = CommaSeparated<ApplicationBenchmark.Mode>([.inference, .train, .frozen])

    @OptionGroup var stepping: BenchStepOptions

    @OptionGroup var threading: BenchThreadOptions

    @OptionGroup var measurement: BenchRunOptions

    /// One mode's median and runs, for `--json`.
    struct Row: Encodable { let mode: String; let samplesPerSecond: Double; let runs: [Double] }

    func run() throws {
        BuildKind.warnIfDebug()
        let app = application, json = measurement.json
        let bench: ApplicationBenchmark
        do {
            bench = try ApplicationBenchmark(application: app, size: size, batch: batch, steps: stepping.steps ?? 10,
                                             warmup: stepping.warmup ?? 2,
                                             runs: measurement.runs(default: 3))
        } catch { throw ValidationError("\(error)") }
        // The busy processes start first, so that `auto` sees them as it would see a user's.
        let (setting, rows) = try measurement.underLoad {
            let plan = try ThreadPlan(threads: ThreadPlan.Request(flag: threading.threads))
            ThreadingPolicy.training(threads: plan.computeThreads).apply()
            let setting = "\(app.rawValue) \(size)x\(size)x3, batch \(batch), threads \(plan.computeThreads) "
                + "(\(plan.computeOrigin.rawValue)), \(measurement.loadDescription)"
            if !json {
                print(setting)
                print("| mode | samples/s | runs |")
                print("|---|---:|---|")
            }
            var rows: [Row] = []
            for one in mode.values {
                let rates = try bench.rates(one)
                let median = TrainingBenchmark.median(rates)
                rows.append(Row(mode: one.rawValue, samplesPerSecond: median, runs: rates))
                guard !json else { continue }
                print(String(format: "| %@ | %.1f | %@ |", one.rawValue, median,
                             rates.map { String(format: "%.1f", $0) }.joined(separator: ", ")))
                fflush(nil)
            }
            return (setting, rows)
        }
        let peak = TrainingBenchmark.peakResidentBytes() ?? 0
        guard json else { return print(String(format: "peak RSS: %.1f MB", Double(peak) / 1_048_576)) }
        struct Report: Encodable { let setting: String; let peakRSSBytes: Int; let rows: [Row] }
        try BenchRunOptions.printJSON(Report(setting: setting, peakRSSBytes: peak, rows: rows))
    }
}
