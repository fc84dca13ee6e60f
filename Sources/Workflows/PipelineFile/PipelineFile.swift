import Augmentation
import Foundation

/// A whole experiment in one YAML file: data, augmentation, and optionally the
/// model, its training and a held-out test set. See `pipelines/reference.yaml`.
public struct PipelineFile: Codable, Sendable {
    public var data: DataSection
    public var augmentation: AugmentationSection
    public var model: ModelSection?
    public var training: TrainingSection?
    public var test: TestSection?
    /// Transfer learning: the frozen base the `model` layers are stacked on,
    /// given as `model.base` or as a top-level `base` (one of the two).
    public var base: BaseSection?
    /// Transfer learning: the fine-tuning phase after the head is trained.
    public var fineTune: FineTuneSection?
    /// The file this came from (set by ``PipelineFileLoader/load(path:)``, not a key), for
    /// errors found after parsing, such as a batch pool over the memory limit.
    public var sourcePath: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case data, augmentation, model, training, test, base
        case fineTune = "fine_tune"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decode(DataSection.self, forKey: .data)
        augmentation = try c.value(.augmentation, default: AugmentationSection())
        if let ops = augmentation.ops {
            do {
                _ = try OpRecipe(ops: ops, outputHeight: data.height, outputWidth: data.width, seed: data.seed)
            } catch {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath + [CodingKeys.augmentation, AnyCodingKey(stringValue: "ops")],
                    debugDescription: "\(error.reason)"))
            }
        }
        try Self.checkTargets(data: data, augmentation: augmentation, decoder: decoder)
        if augmentation.batchOps != nil, ![.categorical, .sparse].contains(data.targetClassMode) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [CodingKeys.augmentation, AnyCodingKey(stringValue: "batch_ops")],
                debugDescription: "MixUp and CutMix mix class probabilities: they need class_mode categorical or sparse, not '\(data.classMode)'"))
        }
        model = try c.decodeIfPresent(ModelSection.self, forKey: .model)
        training = try c.decodeIfPresent(TrainingSection.self, forKey: .training)
        if training != nil, data.task != .classification {
            throw DecodingError.dataCorruptedError(forKey: .training, in: c, debugDescription: Self.untrainableTask(data.task))
        }
        if training != nil, model == nil {
            throw DecodingError.dataCorruptedError(forKey: .training, in: c,
                                                   debugDescription: "a 'training' section needs a 'model' section")
        }
        test = try c.decodeIfPresent(TestSection.self, forKey: .test)
        base = try c.decodeIfPresent(BaseSection.self, forKey: .base)
        if let inner = model?.base {
            guard base == nil else {
                throw DecodingError.dataCorruptedError(forKey: .base, in: c,
                                                       debugDescription: "give the base once: as 'model.base' or as a top-level 'base'")
            }
            base = inner
            model?.base = nil
        }
        fineTune = try c.decodeIfPresent(FineTuneSection.self, forKey: .fineTune)
        if base != nil && model == nil {
            throw DecodingError.dataCorruptedError(forKey: .base, in: c, debugDescription: "a 'base' needs a 'model' section")
        }
        if fineTune != nil && training == nil {
            throw DecodingError.dataCorruptedError(forKey: .fineTune, in: c, debugDescription: "'fine_tune' needs a 'training' section")
        }
        if base == nil, model?.layers.isEmpty == true {
            throw DecodingError.dataCorruptedError(forKey: .model, in: c,
                                                   debugDescription: "model.layers needs at least one layer (none only under a base)")
        }
        if data.validationDirectory != nil, augmentation.config.validationSplit > 0 {
            throw DecodingError.dataCorruptedError(forKey: .data, in: c,
                                                   debugDescription: "give data.validation_directory or augmentation.validation_split, not both")
        }
        if fineTune != nil && base == nil {
            throw DecodingError.dataCorruptedError(forKey: .fineTune, in: c,
                                                   debugDescription: "'fine_tune' needs a 'base' section")
        }
    }

    /// Makes every relative path absolute against `folder` (the pipeline file's own folder).
    mutating func resolvePaths(relativeTo folder: String) {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/") else { return path }
            if path.hasPrefix("~/") { return NSString(string: path).expandingTildeInPath }
            return URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
        }
        data.directory = resolve(data.directory)
        data.csv = resolve(data.csv)
        data.csvDirectory = resolve(data.csvDirectory)
        if let path = resolve(data.annotations?.path) { data.annotations?.path = path }
        data.validationDirectory = resolve(data.validationDirectory)
        if let directory = resolve(test?.directory) { test?.directory = directory }
        if let pipeline = resolve(base?.pipeline) { base?.pipeline = pipeline }
        let weights = resolve(base?.weights)
        base?.weights = weights
    }
}

extension PipelineFile {
    /// Why `augment train` refuses `task`: its models end in a classifier head.
    static func untrainableTask(_ task: DataTask) -> String {
        "data.task \(task.rawValue): augment train builds classifiers only (no \(task.rawValue) head or loss); "
            + "preview and bench pipeline load this task, and the library's DataLoader delivers its targets in Batch.annotations"
    }

    /// Targets need a transform that can carry them: `geometry: exact` for Keras configs, and
    /// `augmentation.targets` only with a task that has targets.
    private static func checkTargets(data: DataSection, augmentation: AugmentationSection, decoder: Decoder) throws {
        let section = decoder.codingPath + [CodingKeys.augmentation]
        if data.task == .classification, augmentation.targets != nil {
            throw DecodingError.dataCorrupted(.init(
                codingPath: section + [AnyCodingKey(stringValue: "targets")],
                debugDescription: "target options need data.task detection, segmentation or keypoints"))
        }
        if data.task != .classification, let batchOps = augmentation.batchOps {
            throw DecodingError.dataCorrupted(.init(
                codingPath: section + [AnyCodingKey(stringValue: "batch_ops")],
                debugDescription: "\(batchOps.map(\.name).joined(separator: ", ")) blend whole images and their class labels: "
                    + "they cannot carry the \(data.task.rawValue) targets of data.annotations"))
        }
        if data.task != .classification,
           let ops = augmentation.ops, let index = ops.firstIndex(where: { !$0.carriesTargets }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: section + [AnyCodingKey(stringValue: "ops"), AnyCodingKey(intValue: index)!],
                debugDescription: "\(ops[index].name) blends chains of different geometry into one image: "
                    + "it cannot carry the \(data.task.rawValue) targets of data.annotations"))
        }
        if data.task != .classification, augmentation.ops == nil, augmentation.geometry == .keras {
            throw DecodingError.dataCorrupted(.init(
                codingPath: section + [AnyCodingKey(stringValue: "geometry")],
                debugDescription: "keras reproduces ImageDataGenerator, which cannot carry the \(data.task.rawValue) targets of data.annotations: use geometry: exact"))
        }
    }
}
