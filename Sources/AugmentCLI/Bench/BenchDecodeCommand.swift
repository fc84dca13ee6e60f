import ArgumentParser
import Benchmarks
import CPUBudget
import Foundation
import Imaging

/// `augment bench decode DIR`: decode throughput, 1 thread and all cores, full-size and DCT-scaled.
struct BenchDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode every image in DIR (read into memory first); report images/s and megapixels/s.")

    @Argument(help: "A folder of images, flat or in class sub-folders (e.g. made by scripts/make_bench_jpegs.py).")
    var directory: String

    @Option(name: .customLong("scaled-to"), help: "Minimum output size for the DCT-scaled runs.")
    var scaledTo: Int = 224

    @OptionGroup var threading: BenchThreadOptions

    @OptionGroup var measurement: BenchRunOptions

    func validate() throws {
        guard scaledTo >= 1 else { throw ValidationError("--scaled-to must be at least 1, got \(scaledTo)") }
    }

    func run() throws {
        BuildKind.warnIfDebug()
        let bench = try DecodeBenchmark(directory: directory)
        let runs = measurement.runs(default: 3)
        let results = try measurement.underLoad {
            var results: [DecodeBenchmark.Measurement] = []
            for scaled in [nil, scaledTo] as [Int?] {
                for count in Set([1, threading.threads.workerThreads]).sorted() {
                    results.append(try bench.measure(threads: count, scaledTo: scaled, repeats: runs))
                }
            }
            return results
        }
        if measurement.json { return try BenchRunOptions.printJSON(results) }
        print("\(bench.files.count) files from \(directory), median of \(runs) runs, \(measurement.loadDescription)")
        for result in results {
            let size = result.scaledTo.map { "scaled to >= \($0)" } ?? "full size"
            let label = size.padding(toLength: 18, withPad: " ", startingAt: 0)
            print(label + String(format: "threads=%-2d %9.0f images/s %8.1f MP/s %9.0f images/CPU-s", result.threads,
                                 result.imagesPerSecond, result.megapixelsPerSecond, result.imagesPerCPUSecond))
        }
    }
}
