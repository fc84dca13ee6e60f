import ArgumentParser
import Augmentation
import Crypto
import DataPipeline
import Foundation
import Tensors

/// `augment bench pipeline DIR`: JPEG folder → augmented Float32 batches,
/// with images/s, the time split between stages, resident memory and an
/// optional SHA-256 over every batch (inputs, then targets, in order).
struct BenchPipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Throughput of the whole input pipeline over a folder of images.")

    @Argument(help: "A folder of images (class sub-folders or flat).")
    var directory: String

    @Option(help: "Output height and width.")
    var size = 224

    @Option(help: "Samples per batch.")
    var batch = 32

    @Option(help: "Worker count (default: active processors).")
    var workers: Int?

    @Option(help: "Seed of the shuffle and the augmentation.")
    var seed: UInt64 = 0

    @Option(help: "Epochs to run.")
    var epochs = 1

    @Option(help: "Batches prefetched ahead of the consumer.")
    var prefetch = 2

    @Flag(help: "Resize only (no random transforms, no rescale): the pipeline without the augmentation recipe.")
    var resizeOnly = false

    @Flag(help: "Print a SHA-256 over every batch's inputs and targets, in order.")
    var checksum = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let bench = PipelineBenchmark(directory: directory, size: size, batchSize: batch, workerCount: workers,
                                      seed: seed, epochs: epochs, prefetchDepth: prefetch,
                                      config: resizeOnly ? AugmentationConfig() : PipelineBenchmark.seedRecipe)
        var hasher = SHA256()
        let results = try bench.run { batch in
            guard checksum else { return }
            for tensor in [batch.inputs, batch.targets] {
                tensor.storage.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            }
        }
        let digest = checksum ? hasher.finalize().map { String(format: "%02x", $0) }.joined() : nil
        if json {
            let report = Report(workers: bench.workerCount, epochs: results, sha256: digest)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("pipeline bench: \(directory), \(size)x\(size), batch \(batch), \(bench.workerCount) workers, "
              + (resizeOnly ? "resize only" : "seed recipe"))
        for result in results {
            let stages = result.readSeconds + result.decodeSeconds + result.warpSeconds
            func share(_ value: Double) -> String { String(format: "%.0f%%", stages > 0 ? 100 * value / stages : 0) }
            print(String(format: "epoch %d: %d images in %.2f s = %.0f images/s", result.epoch, result.images,
                         result.seconds, result.imagesPerSecond)
                + " | read \(share(result.readSeconds)) decode \(share(result.decodeSeconds)) warp \(share(result.warpSeconds))"
                + String(format: " of %.2f worker-s | consumer waited %.2f s", stages, result.waitSeconds)
                + String(format: " | RSS %.1f MB (peak %.1f MB)", Double(result.memory.current) / 1_048_576,
                         Double(result.memory.peak) / 1_048_576)
                + (result.skipped > 0 ? " | skipped \(result.skipped)" : ""))
        }
        if let digest { print("sha256 \(digest)") }
    }

    private struct Report: Encodable {
        var workers: Int
        var epochs: [PipelineBenchmark.EpochResult]
        var sha256: String?
    }
}
