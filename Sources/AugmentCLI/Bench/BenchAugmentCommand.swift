import ArgumentParser
import Augmentation
import CPUBudget
import Foundation

/// `augment bench augment`: throughput of the fused augmentation kernel (build with -c release).
struct BenchAugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Images/s of UInt8 images → seed recipe → Float32 batches (medians of runs).")

    @Option(help: "Images per run.") var images = 10_000
    @Option(help: "Output side length in pixels.") var size = 64
    @Option(help: "Source side length (default: same as --size; larger exercises resize and prefilter).")
    var sourceSize: Int?
    @Option(help: "Batch size.") var batch = 64
    @Option(help: "Worker threads: auto (the CPU budget) or a number.", transform: ThreadCount.option("--threads"))
    var threads: ThreadCount = .auto
    @Option(help: "Runs per measurement (the median is reported).") var runs = 3
    @Option(help: "Geometry mode: exact or keras.") var mode = "exact"
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        var options = AugmentBenchmark.Options()
        options.images = images
        options.size = size
        options.sourceSize = sourceSize
        options.batch = batch
        options.threads = threads.workerThreads
        options.runs = runs
        guard let parsed = GeometryMode(rawValue: mode) else {
            throw ValidationError("--mode must be exact or keras, got \(mode)")
        }
        options.mode = parsed
        let result = try AugmentBenchmark(options: options).run()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print("""
                augment bench augment: \(result.images) images \(result.sourceSize)→\(result.size)px, \
                batch \(result.batch), mode \(result.mode.rawValue), median of \(result.runs)
                  \(result.threads) threads: \(Int(result.imagesPerSecond)) images/s
                  1 thread:  \(Int(result.imagesPerSecondOneThread)) images/s, \
                \(String(format: "%.2f", result.nanosecondsPerOutputPixel)) ns per output pixel
                  CPU time (1 thread): \(String(format: "%.2f", result.cpuNanosecondsPerOutputPixel)) ns per output pixel, \
                \(Int(result.cpuBoundImagesPerSecondPerCore)) images/s per fully available core
                """)
        }
    }
}
