import Augmentation
import DataPipeline
import Dispatch
import Imaging
import Tensors

/// `augment bench pipeline`: a JPEG folder through the whole pipeline
/// (read, decode with DCT scaling, the seed augmentation recipe, batches),
/// measured per epoch.
///
/// ```swift
/// let bench = PipelineBenchmark(directory: "photos", size: 224, batchSize: 32)
/// let results = try bench.run { batch in digest.update(batch) }
/// ```
public struct PipelineBenchmark: Sendable {
    /// One epoch's measurements. Stage seconds are thread-seconds summed over workers.
    public struct EpochResult: Sendable, Equatable, Codable {
        public var epoch: Int
        public var images: Int
        public var seconds: Double
        public var imagesPerSecond: Double
        public var readSeconds: Double
        public var decodeSeconds: Double
        public var warpSeconds: Double
        /// Moving masks, boxes and keypoints (zero without ``PipelineBenchmark/targets``).
        public var targetSeconds: Double
        public var waitSeconds: Double
        public var skipped: Int
        public var memory: ResidentMemory
    }

    public var directory: String
    public var size: Int
    public var batchSize: Int
    public var workerCount: Int
    public var seed: UInt64
    public var epochs: Int
    public var prefetchDepth: Int
    /// The Keras augmentation; `seedRecipe` by default, `AugmentationConfig()` to measure resizing alone.
    public var config: AugmentationConfig
    /// An op recipe instead of `config` (``imagenetRecipe(size:)``), when set.
    public var ops: [AugmentationOp]?
    /// Annotations moved with the images, when measuring a detection or segmentation task.
    public var targets: BenchTargets?
    /// MixUp/CutMix on every batch (``BatchMixing``); none by default.
    public var batchOps: [BatchOp] = []

    public init(directory: String, size: Int = 224, batchSize: Int = 32, workerCount: Int? = nil, seed: UInt64 = 0,
                epochs: Int = 1, prefetchDepth: Int = 2, config: AugmentationConfig = PipelineBenchmark.seedRecipe,
                ops: [AugmentationOp]? = nil) {
        self.config = config
        self.ops = ops
        self.directory = directory
        self.size = size
        self.batchSize = batchSize
        self.workerCount = workerCount ?? LoaderOptions().workerCount
        self.seed = seed
        self.epochs = epochs
        self.prefetchDepth = prefetchDepth
    }

    /// The seed recipe: rotation 20, shifts 0.2, zoom 0.2, horizontal flip, rescale 1/255.
    public static var seedRecipe: AugmentationConfig {
        var config = AugmentationConfig()
        config.rotationRange = 20
        config.widthShiftRange = .fraction(0.2)
        config.heightShiftRange = .fraction(0.2)
        config.zoomRange = ZoomRange(0.2)
        config.horizontalFlip = true
        config.rescale = 1.0 / 255
        return config
    }

    /// Workload W3, the ImageNet training recipe: `random_resized_crop(size, (0.08, 1), (3/4, 4/3))`,
    /// horizontal flip, `color_jitter(0.4, 0.4, 0.4)`, `normalize(imagenet)`.
    public static func imagenetRecipe(size: Int) -> [AugmentationOp] {
        [.randomResizedCrop(RandomResizedCrop(size: .square(size))), .horizontalFlip(Flip()),
         .colorJitter(ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4)), .normalize(.imagenet)]
    }

    /// The images: the annotated ones with ``targets``; else class sub-folders when there are any
    /// with images, else every image under the directory.
    public func source() throws -> any ImageFileSource {
        if let targets { return try targets.source(images: directory) }
        let folder = try ImageFolder(directory: directory)
        return folder.count > 0 ? folder : try FileListSource(directory: directory)
    }

    /// Runs `epochs` epochs, handing every batch to `onBatch` in order.
    /// - Throws: `DataPipelineError` for an empty or unreadable directory, the
    ///   loader's errors otherwise (bad files are skipped and counted).
    public func run(onBatch: (Batch) -> Void = { _ in }) throws -> [EpochResult] {
        let source = try source()
        guard source.count > 0 else {
            throw DataPipelineError(.invalidArgument, path: directory, message: "no images found")
        }
        let timings = StageTimings()
        var renderer = if let ops {
            try ImageFileRenderer(source: source, recipe: OpRecipe(ops: ops, outputHeight: size, outputWidth: size, seed: seed),
                                  timings: timings)
        } else {
            try ImageFileRenderer(source: source, config: config, height: size, width: size, seed: seed, timings: timings)
        }
        renderer.targetOptions = targets?.options ?? TargetOptions()
        let mixing = try batchOps.isEmpty ? nil : BatchMixing(
            recipe: BatchOpRecipe(ops: batchOps, seed: seed),
            classCount: source.classMode == .categorical ? source.targets.rowCount : 1)
        let options = LoaderOptions(batchSize: batchSize, seed: seed, workerCount: workerCount,
                                    prefetchDepth: prefetchDepth, badFilePolicy: .skip, batchMixing: mixing)
        let loader = try DataLoader(source: source, renderer: renderer, options: options)
        var results: [EpochResult] = []
        for epoch in 0..<epochs {
            let before = timings.snapshot
            let start = DispatchTime.now()
            let run = loader.epoch(epoch)
            var images = 0
            while let batch = try run.nextBatch() {
                images += batch.count
                onBatch(batch)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let summary = try run.finish()
            let after = timings.snapshot
            results.append(EpochResult(epoch: epoch, images: images, seconds: seconds,
                                       imagesPerSecond: Double(images) / seconds,
                                       readSeconds: after.readSeconds - before.readSeconds,
                                       decodeSeconds: after.decodeSeconds - before.decodeSeconds,
                                       warpSeconds: after.warpSeconds - before.warpSeconds,
                                       targetSeconds: after.targetSeconds - before.targetSeconds,
                                       waitSeconds: summary.waitSeconds, skipped: summary.skipped.count,
                                       memory: ResidentMemory.now()))
        }
        return results
    }
}

/// The annotations of a targets benchmark: a COCO file of boxes (`detection`), or a mask
/// folder or COCO file of polygons (`segmentation`), over the benchmark's image folder.
public struct BenchTargets: Sendable {
    /// What the targets are.
    public enum Task: String, Sendable, CaseIterable {
        case detection, segmentation
    }

    public var task: Task
    /// A COCO JSON file, or (segmentation) a folder of masks named as the images.
    public var annotations: String
    public var options: TargetOptions

    public init(task: Task, annotations: String, options: TargetOptions = TargetOptions()) {
        self.task = task
        self.annotations = annotations
        self.options = options
    }

    /// The annotated images of `images`.
    /// - Throws: `AnnotationError` when the annotations cannot be read.
    public func source(images: String) throws -> AnnotatedImageSource {
        if annotations.lowercased().hasSuffix(".json") {
            let reader = COCOReader(masks: task == .segmentation ? .semantic : .none)
            return AnnotatedImageSource(try reader.read(annotations, imageDirectory: images), format: .coco)
        }
        guard task == .segmentation else {
            throw AnnotationError(.malformedFile, path: annotations, message: "detection reads a COCO .json file")
        }
        return AnnotatedImageSource(try MaskFolderPairs(images: images, masks: annotations))
    }
}
