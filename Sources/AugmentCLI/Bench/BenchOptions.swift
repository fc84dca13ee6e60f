import Applications
import ArgumentParser
import Augmentation
import Benchmarks
import CPUBudget
import Foundation

/// The options every `augment bench` command shares: how many runs, what load beside them, and
/// how to print.
struct BenchRunOptions: ParsableArguments {
    @Option(help: "Runs per measurement; the median and every run are reported (default: 5 for bench train, else 3).")
    var runs: Int?

    @Option(help: "Busy processes (one core each) running beside the measurement, like `yes > /dev/null`.")
    var load: Int = 0

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1, got \(runs)") }
        guard load >= 0 else { throw ValidationError("--load must be 0 or more, got \(load)") }
    }

    /// `--runs`, or `fallback` when it is not given.
    func runs(default fallback: Int) -> Int { runs ?? fallback }

    /// Runs `body` with `--load` busy processes beside it (stopped afterwards, even on error).
    func underLoad<T>(_ body: () throws -> T) throws -> T {
        try BusyProcesses.with(count: load, body)
    }

    /// How the load reads in a benchmark's first line.
    var loadDescription: String { "\(load) busy process\(load == 1 ? "" : "es")" }

    /// Prints `value` as sorted, indented JSON.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// `--steps` and `--warmup` of the training benchmarks, whose defaults depend on the model's size.
struct BenchStepOptions: ParsableArguments {
    @Option(help: "Timed batches per run (default: 200 for bench train, 10 for bench model).")
    var steps: Int?

    @Option(help: "Untimed warm-up batches per run (default: 20 for bench train, 2 for bench model).")
    var warmup: Int?

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        if let warmup, warmup < 0 { throw ValidationError("--warmup must be 0 or more, got \(warmup)") }
    }
}

/// `--threads`: the compute or worker threads of a benchmark.
struct BenchThreadOptions: ParsableArguments {
    @Option(help: "Threads: auto (OMP_NUM_THREADS, or the CPU budget less the cores other processes keep busy) or a number.",
            transform: ThreadCount.option("--threads"))
    var threads: ThreadCount = .auto
}

/// An option value that is a comma-separated list of `Element`s (`--batches 32,64`).
struct CommaSeparated<Element: ExpressibleByArgument>: ExpressibleByArgument {
    var values: [Element]

    init(_ values: [Element]) { self.values = values }

    init?(argument: String) {
        var values: [Element] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Element(argument: part.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(value)
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }

    var defaultValueDescription: String { values.map(\.defaultValueDescription).joined(separator: ",") }

    static var allValueStrings: [String] { Element.allValueStrings }
}

/// `--model` of `bench train`: one course model, or both of them.
enum CourseModelChoice: String, ExpressibleByArgument, CaseIterable {
    case small, large, both, resnet

    /// The models measured.
    var models: [TrainingBenchmark.Model] {
        switch self {
        case .small: [.small]
        case .large: [.large]
        case .both: [.small, .large]
        case .resnet: [.resnet]
        }
    }
}

extension Application: ExpressibleByArgument {}
extension ApplicationBenchmark.Mode: ExpressibleByArgument {}
extension GeometryMode: ExpressibleByArgument {}
