import ArgumentParser
import Augmentation
import Benchmarks
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
    @Option(help: "Geometry mode: exact or keras.") var mode: GeometryMode = .exact
    @OptionGroup var threading: BenchThreadOptions
    @OptionGroup var measurement: BenchRunOptions

    func run() throws {
        BuildKind.warnIfDebug()
        var options = AugmentBenchmark.Options()
        options.images = images
        options.size = size
        options.sourceSize = sourceSize
        options.batch = batch
        options.threads = threading.threads.workerThreads
        options.runs = measurement.runs(default: 3)
        options.mode = mode
        let result = try measurement.underLoad { try AugmentBenchmark(options: options).run() }
        if measurement.json {
            try BenchRunOptions.printJSON(result)
        } else {
            print("""
                augment bench augment: \(result.images) images \(result.sourceSize)→\(result.size)px, \
                batch \(result.batch), mode \(result.mode.rawValue), median of \(result.runs), \(measurement.loadDescription)
                  \(result.threads) threads: \(Int(result.imagesPerSecond)) images/s
                  1 thread:  \(Int(result.imagesPerSecondOneThread)) images/s, \
                \(String(format: "%.2f", result.nanosecondsPerOutputPixel)) ns per output pixel
                  CPU time (1 thread): \(String(format: "%.2f", result.cpuNanosecondsPerOutputPixel)) ns per output pixel, \
                \(Int(result.cpuBoundImagesPerSecondPerCore)) images/s per fully available core
                """)
        }
    }
}
