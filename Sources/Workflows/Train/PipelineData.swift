import Augmentation
import CPUBudget
import DataPipeline
import Foundation
import Imaging
import Tensors

/// The data side of a pipeline file: the training, validation and test
/// sources (a folder of class sub-folders or a CSV listing) and their loaders,
/// built exactly as the file says.
///
/// Training images go through the whole augmentation; validation and test
/// images only through its deterministic part (rescale, standardisation), so
/// the numbers that steer early stopping are not noisy; `batch_ops` (MixUp,
/// CutMix) mix training batches only.
public struct PipelineData {
    public let training: any ImageFileSource
    public let validation: (any ImageFileSource)?
    public let test: ImageFolder?
    /// The class names, in index order.
    public let classNames: [String]
    /// A few training files, one per class where the source knows classes: the contact sheet's rows.
    public let sampleFiles: [String]
    public let trainingLoader: DataLoader
    public let validationLoader: DataLoader?
    public let testLoader: DataLoader?
    /// Fitted when the augmentation asks for feature-wise statistics or ZCA.
    public let standardizer: Standardizer?

    /// Shape of one input sample, H×W×C.
    public var inputShape: [Int] { trainingLoader.renderer.sampleShape }

    /// - Throws: `DataPipelineError` for a missing folder, file or class, `AugmentationError`
    ///   for a config the kernel refuses, ``WorkflowError`` for an empty training set,
    ///   `MemoryLimitError` for batch pools larger than `MemoryLimit.current`.
    /// - Parameter pipeline: the pipeline file whose `data` and `augmentation` sections are loaded.
    /// - Parameter threads: the loader workers (``PipelineFile/threadPlan(threads:workers:replicas:processes:trains:environment:othersRunning:)``).
    /// - Parameter log: receives one line per unreadable image under `bad_files: skip`.
    /// - Parameter processes: this process's share of a data-parallel run: each
    ///   loader takes its slice of every global batch (`batch_size / count`).
    public init(pipeline: PipelineFile, threads: ThreadPlan, processes: ProcessShare? = nil,
                log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }) throws {
        let data = pipeline.data
        let split = data.validationSplit > 0 ? data.validationSplit : pipeline.augmentation.config.validationSplit
        try MemoryPlan.checkBatchPools(pipeline, validation: split > 0 || data.validationDirectory != nil)
        let targets = pipeline.augmentation.targets ?? TargetsSection()
        let sources = try TrainingSources(data: data, split: split, ignoreIndex: UInt16(targets.ignoreIndex))
        let training = sources.training
        guard training.count > 0 else { throw WorkflowError("\(data.directory ?? data.csv ?? ""): no images found") }
        var test: ImageFolder?
        if let section = pipeline.test {
            test = try ImageFolder(directory: section.directory, classes: sources.classNames,
                                   classMode: data.targetClassMode, followLinks: data.followLinks)
        }

        let config = pipeline.augmentation.config
        let standardizer = try Self.fitStandardizer(config: config, source: training, data: data,
                                                     mode: pipeline.augmentation.geometry)
        let loaders = LoaderFactory(data: data, threads: threads, mode: pipeline.augmentation.geometry,
                                    standardizer: standardizer, processes: processes, targets: targets, log: log)
        let fixed = config.withoutRandomTransforms
        let recipe = try pipeline.augmentation.ops.map {
            try OpRecipe(ops: $0, outputHeight: data.height, outputWidth: data.width, seed: data.seed)
        }
        let mixing = try pipeline.augmentation.batchOps.map {
            BatchMixing(recipe: try BatchOpRecipe(ops: $0, seed: data.seed), classCount: sources.classNames.count)
        }
        trainingLoader = try loaders.make(training, config: config, recipe: recipe, shuffle: data.shuffle,
                                          batchSize: data.batchSize, mixing: mixing)
        validationLoader = try sources.validation.flatMap {
            $0.count > 0 ? try loaders.make($0, config: fixed, recipe: recipe?.withoutRandomOps, shuffle: false,
                                            batchSize: data.batchSize) : nil
        }
        testLoader = try test.map {
            try loaders.make($0, config: fixed, recipe: recipe?.withoutRandomOps, shuffle: false,
                             batchSize: pipeline.test?.batchSize ?? data.batchSize, key: "test.batch_size")
        }
        self.training = training
        self.validation = sources.validation
        self.test = test
        self.classNames = sources.classNames
        self.sampleFiles = sources.sampleFiles
        self.standardizer = standardizer
    }

    /// Keras's `ImageDataGenerator.fit` on up to 1,000 training images (evenly
    /// spaced through the sorted list), when the config needs fitted statistics. The images come
    /// through the loader's render function with the random transforms and the standardisation
    /// left out (epoch 0), so the statistics describe exactly the pixels the loader standardises.
    static func fitStandardizer(config: AugmentationConfig, source: any ImageFileSource,
                                data: DataSection, mode: GeometryMode) throws -> Standardizer? {
        guard config.featurewiseCenter || config.featurewiseStdNormalization || config.zcaWhitening else { return nil }
        let renderer = try ImageFileRenderer(
            source: source, config: config.withoutStandardization.withoutRandomTransforms,
            height: data.height, width: data.width, colorMode: data.imageColorMode,
            keepAspectRatio: data.keepAspectRatio, seed: data.seed, mode: mode)
        let step = max(1, source.count / 1_000)
        var samples: [Float] = []
        for index in stride(from: 0, to: source.count, by: step) {
            samples += try renderer.render(path: source.path(of: index), index: index, epoch: 0)
        }
        var standardizer = Standardizer(config: config)
        let channels = data.imageColorMode.channels
        try standardizer.fit(samples: samples, count: samples.count / (data.height * data.width * channels),
                             height: data.height, width: data.width, channels: channels)
        return standardizer
    }
}

/// Builds the loaders of one pipeline: same size, colour mode, seed and workers.
struct LoaderFactory {
    let data: DataSection
    let threads: ThreadPlan
    let mode: GeometryMode
    let standardizer: Standardizer?
    let processes: ProcessShare?
    /// How targets travel, when the sources have them.
    let targets: TargetsSection
    let log: @Sendable (String) -> Void

    /// A loader of `folder`: the op `recipe` when there is one, else the Keras `config`;
    /// `batchSize` samples per (global) batch, `key` naming the setting in errors; `mixing`
    /// for training batches only.
    func make(_ folder: any ImageFileSource, config: AugmentationConfig, recipe: OpRecipe?, shuffle: Bool,
              batchSize: Int, key: String = "data.batch_size", mixing: BatchMixing? = nil) throws -> DataLoader {
        var renderer = if let recipe {
            try ImageFileRenderer(source: folder, recipe: recipe, colorMode: data.imageColorMode)
        } else {
            try ImageFileRenderer(
                source: folder, config: config, height: data.height, width: data.width,
                colorMode: data.imageColorMode, keepAspectRatio: data.keepAspectRatio, seed: data.seed,
                mode: mode, standardizer: standardizer)
        }
        renderer.targetOptions = targets.options
        renderer.collator = targets.collator
        let options = LoaderOptions(
            batchSize: try processes?.localBatch(of: batchSize, key: key) ?? batchSize, shuffle: shuffle,
            seed: data.seed, dropRemainder: shuffle && data.dropRemainder,
            workerCount: threads.loaderWorkers, prefetchDepth: data.prefetch, badFilePolicy: data.badFilePolicy,
            shard: processes?.shard, batchMixing: mixing)
        return try DataLoader(source: folder, renderer: renderer, options: options, log: log)
    }
}
