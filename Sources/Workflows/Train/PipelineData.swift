import Augmentation
import DataPipeline
import Foundation
import Imaging
import Tensors

/// The data side of a pipeline file: the training, validation and test image
/// folders and their loaders, built exactly as the file says.
///
/// Training images go through the whole augmentation; validation and test
/// images only through its deterministic part (rescale, standardisation), so
/// the numbers that steer early stopping are not noisy.
public struct PipelineData {
    public let training: ImageFolder
    public let validation: ImageFolder?
    public let test: ImageFolder?
    public let trainingLoader: DataLoader
    public let validationLoader: DataLoader?
    public let testLoader: DataLoader?
    /// Fitted when the augmentation asks for feature-wise statistics or ZCA.
    public let standardizer: Standardizer?

    /// Shape of one input sample, H×W×C.
    public var inputShape: [Int] { trainingLoader.renderer.sampleShape }

    /// - Throws: `DataPipelineError` for a missing folder or class, `AugmentationError`
    ///   for a config the kernel refuses, ``WorkflowError`` for a CSV source (not yet
    ///   wired into `augment train`) or an empty training set.
    /// - Parameter log: receives one line per unreadable image under `bad_files: skip`.
    public init(pipeline: PipelineFile,
                log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }) throws {
        let data = pipeline.data
        guard let directory = data.directory else {
            throw WorkflowError("augment train reads a 'directory' source; CSV listings are available from the library (CSVSource)")
        }
        let split = data.validationSplit > 0 ? data.validationSplit : pipeline.augmentation.config.validationSplit
        let training = try ImageFolder(directory: directory, classes: data.classes, classMode: data.targetClassMode,
                                       validationSplit: split, subset: split > 0 ? .training : nil,
                                       followLinks: data.followLinks)
        guard training.count > 0 else { throw WorkflowError("\(directory): no images found in its class folders") }
        let validation = split > 0
            ? try ImageFolder(directory: directory, classes: data.classes, classMode: data.targetClassMode,
                              validationSplit: split, subset: .validation, followLinks: data.followLinks)
            : nil
        var test: ImageFolder?
        if let section = pipeline.test {
            test = try ImageFolder(directory: section.directory, classes: training.classNames,
                                   classMode: data.targetClassMode, followLinks: data.followLinks)
        }

        let config = pipeline.augmentation.config
        let standardizer = try Self.fitStandardizer(config: config, folder: training, data: data)
        let loaders = LoaderFactory(data: data, mode: pipeline.augmentation.geometry, standardizer: standardizer, log: log)
        let fixed = config.withoutRandomTransforms
        trainingLoader = try loaders.make(training, config: config, shuffle: data.shuffle, batchSize: data.batchSize)
        validationLoader = try validation.flatMap {
            $0.count > 0 ? try loaders.make($0, config: fixed, shuffle: false, batchSize: data.batchSize) : nil
        }
        testLoader = try test.map {
            try loaders.make($0, config: fixed, shuffle: false, batchSize: pipeline.test?.batchSize ?? data.batchSize)
        }
        self.training = training
        self.validation = validation
        self.test = test
        self.standardizer = standardizer
    }

    /// Keras's `ImageDataGenerator.fit` on up to 1,000 training images (evenly
    /// spaced through the sorted list), when the config needs fitted statistics.
    static func fitStandardizer(config: AugmentationConfig, folder: ImageFolder, data: DataSection) throws -> Standardizer? {
        guard config.featurewiseCenter || config.featurewiseStdNormalization || config.zcaWhitening else { return nil }
        let step = max(1, folder.count / 1_000)
        var images: [Image] = []
        for index in stride(from: 0, to: folder.count, by: step) {
            let image = try Image.decode(contentsOf: folder.path(of: index),
                                         options: DecodeOptions(minimumSize: (data.width, data.height)))
            images.append(try image.converted(to: data.imageColorMode)
                .resized(width: data.width, height: data.height, interpolation: .bilinear))
        }
        var standardizer = Standardizer(config: config)
        try standardizer.fit(images: images, config: config, seed: data.seed)
        return standardizer
    }
}

/// Builds the loaders of one pipeline: same size, colour mode, seed and workers.
struct LoaderFactory {
    let data: DataSection
    let mode: GeometryMode
    let standardizer: Standardizer?
    let log: @Sendable (String) -> Void

    func make(_ folder: ImageFolder, config: AugmentationConfig, shuffle: Bool, batchSize: Int) throws -> DataLoader {
        let renderer = try ImageFileRenderer(
            source: folder, config: config, height: data.height, width: data.width,
            colorMode: data.imageColorMode, keepAspectRatio: data.keepAspectRatio, seed: data.seed,
            mode: mode, standardizer: standardizer)
        let options = LoaderOptions(
            batchSize: batchSize, shuffle: shuffle, seed: data.seed, dropRemainder: shuffle && data.dropRemainder,
            workerCount: data.workers ?? ProcessInfo.processInfo.activeProcessorCount,
            prefetchDepth: data.prefetch, badFilePolicy: data.badFilePolicy)
        return try DataLoader(source: folder, renderer: renderer, options: options, log: log)
    }
}
