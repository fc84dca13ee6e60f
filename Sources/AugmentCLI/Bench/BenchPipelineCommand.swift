import ArgumentParser
import Augmentation
import CPUBudget
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

    @Option(help: "keras: the seed recipe (rotation 20, shifts 0.2, zoom 0.2, flip, rescale); imagenet: random_resized_crop, flip, color_jitter(0.4, 0.4, 0.4), normalize(imagenet).")
    var recipe: Recipe = .keras

    @Option(help: "Samples per batch (default 32 for keras, 64 for imagenet).")
    var batch: Int?

    @Option(help: "Workers: auto (the CPU budget) or a number.",
            transform: ThreadCount.option("--workers"))
    var workers: ThreadCount = .auto

    @Option(help: "Seed of the shuffle and the augmentation.")
    var seed: UInt64 = 0

    @Option(help: "Epochs to run.")
    var epochs = 1

    @Option(help: "Batches prefetched ahead of the consumer.")
    var prefetch = 2

    @Option(help: "classification (images only), detection (boxes from a COCO --annotations file) or segmentation (masks from a folder or COCO polygons).")
    var task: Task = .classification

    @Option(help: "The annotations of --task detection or segmentation: a COCO .json file, or a folder of masks named as the images.")
    var annotations: String?
    @Option(name: .customLong("batch-op"),
            help: "A batch op on every batch: mixup or cutmix (alpha 1, p 1, torchvision's defaults); give both for one of them per batch.")
    var batchOps: [BatchOpName] = []

    @Flag(help: "With --recipe imagenet: rand_augment (num_ops 2, magnitude 9) after color_jitter, before normalize.")
    var randAugment = false

    @Flag(help: "Resize only (no random transforms, no rescale): the pipeline without the augmentation recipe.")
    var resizeOnly = false

    @Flag(help: "Print a SHA-256 over every batch's inputs and targets, in order.")
    var checksum = false

    @Option(help: "Busy processes (one core each) running beside the measurement, like `yes > /dev/null`.")
    var load: Int = 0

    @Flag(help: "Print JSON instead of text.")
    var json = false

    enum Recipe: String, ExpressibleByArgument, CaseIterable {
        case keras, imagenet
    }

    enum Task: String, ExpressibleByArgument, CaseIterable {
        case classification, detection, segmentation
    }

    enum BatchOpName: String, ExpressibleByArgument, CaseIterable {
        case mixup, cutmix
        var op: BatchOp { self == .mixup ? .mixup(MixUp()) : .cutmix(CutMix()) }
    }

    func validate() throws {
        guard load >= 0 else { throw ValidationError("--load must be 0 or more, got \(load)") }
        if resizeOnly && recipe == .imagenet { throw ValidationError("--resize-only measures the keras recipe's resize") }
        if task != .classification && !batchOps.isEmpty {
            throw ValidationError("--batch-op \(batchOps.map(\.rawValue).joined(separator: ", ")) cannot carry --task \(task.rawValue) targets")
        }
        if (task == .classification) != (annotations == nil) {
            throw ValidationError(task == .classification ? "--annotations needs --task detection or segmentation"
                                  : "--task \(task.rawValue) needs --annotations")
        }
        if randAugment && recipe != .imagenet { throw ValidationError("--rand-augment extends --recipe imagenet") }
    }

    func run() throws {
        BuildKind.warnIfDebug()
        let plan = try ThreadPlan(workers: ThreadPlan.Request(flag: workers))
        var ops = PipelineBenchmark.imagenetRecipe(size: size)
        if randAugment { ops.insert(.randAugment(RandAugment()), at: ops.count - 1) }
        var bench = PipelineBenchmark(directory: directory, size: size, batchSize: batch ?? (recipe == .imagenet ? 64 : 32),
                                      workerCount: plan.loaderWorkers,
                                      seed: seed, epochs: epochs, prefetchDepth: prefetch,
                                      config: resizeOnly ? AugmentationConfig() : PipelineBenchmark.seedRecipe,
                                      ops: recipe == .imagenet ? ops : nil)
        if let annotations, let kind = BenchTargets.Task(rawValue: task.rawValue) {
            bench.targets = BenchTargets(task: kind, annotations: annotations)
        }
        bench.batchOps = batchOps.map(\.op)
        let hasher = BatchChecksum()
        let results = try BusyProcesses.with(count: load) {
            try bench.run { batch in
                if checksum { hasher.add(batch) }
            }
        }
        let digest = checksum ? hasher.hexDigest() : nil
        if json {
            let report = Report(workers: bench.workerCount, load: load, epochs: results, sha256: digest)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("pipeline bench: \(directory), \(size)x\(size), batch \(bench.batchSize), "
              + "\(bench.workerCount) workers (\(plan.loaderOrigin.rawValue)), "
              + "CPU budget \(plan.budget), \(load) busy process\(load == 1 ? "" : "es"), "
              + (resizeOnly ? "resize only" : recipe == .imagenet ? "imagenet recipe" + (randAugment ? " + rand_augment" : "") : "seed recipe")
              + (task == .classification ? "" : ", \(task.rawValue) targets")
              + batchOps.map { ", \($0.rawValue)" }.joined())
        for result in results {
            let stages = result.readSeconds + result.decodeSeconds + result.warpSeconds + result.targetSeconds
            func share(_ value: Double) -> String { String(format: "%.0f%%", stages > 0 ? 100 * value / stages : 0) }
            print(String(format: "epoch %d: %d images in %.2f s = %.0f images/s", result.epoch, result.images,
                         result.seconds, result.imagesPerSecond)
                + " | read \(share(result.readSeconds)) decode \(share(result.decodeSeconds)) warp \(share(result.warpSeconds))"
                + (task == .classification ? "" : " targets \(share(result.targetSeconds))")
                + String(format: " of %.2f worker-s | consumer waited %.2f s", stages, result.waitSeconds)
                + String(format: " | RSS %.1f MB (peak %.1f MB)", Double(result.memory.current) / 1_048_576,
                         Double(result.memory.peak) / 1_048_576)
                + (result.skipped > 0 ? " | skipped \(result.skipped)" : ""))
        }
        if let digest { print("sha256 \(digest)") }
    }

    private struct Report: Encodable {
        var workers: Int
        var load: Int
        var epochs: [PipelineBenchmark.EpochResult]
        var sha256: String?
    }
}
