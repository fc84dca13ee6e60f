import Augmentation

/// The `augmentation` section: Keras's `ImageDataGenerator` arguments under
/// their own names, plus `geometry` (`exact`, the default, or `keras` to
/// reproduce Keras's defects bit for bit); or, instead, `ops`: torchvision-style
/// ops in order (`AugmentationOp`), with `validation_split` the only other key.
/// Either form may add `batch_ops`: MixUp and CutMix on each collated training batch
/// (`BatchOp`; one of them per batch with equal probability when both are listed, see
/// `BatchOpRecipe`). They make the labels soft, so they need `class_mode: categorical` or
/// `sparse` (whose labels are one-hot encoded first); validation and test batches never get them.
///
/// ```yaml
/// augmentation:
///   rotation_range: 20
///   width_shift_range: 0.2
///   horizontal_flip: true
///   rescale: 0.00392156862745098
/// ```
/// ```yaml
/// augmentation:
///   ops:
///     - random_resized_crop: {size: 224}
///     - horizontal_flip
///     - normalize: {mean: imagenet, std: imagenet}
///   batch_ops:
///     - mixup: {alpha: 0.2}
///     - cutmix: {alpha: 1.0, p: 0.5}
/// ```
public struct AugmentationSection: Codable, Sendable, Equatable {
    public var config: AugmentationConfig
    public var geometry: GeometryMode
    /// The op recipe, when the section has `ops` (then `config` holds only `validation_split`).
    public var ops: [AugmentationOp]?
    /// How masks, boxes and keypoints travel (``TargetsSection``), for tasks that have them.
    public var targets: TargetsSection?
    /// MixUp/CutMix on training batches, when the section has `batch_ops`.
    public var batchOps: [BatchOp]?

    public init(config: AugmentationConfig = AugmentationConfig(), geometry: GeometryMode = .exact,
                ops: [AugmentationOp]? = nil, batchOps: [BatchOp]? = nil) {
        self.config = config
        self.geometry = geometry
        self.ops = ops
        self.batchOps = batchOps
    }

    public init(from decoder: Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyCodingKey.self)
        let opsKey = AnyCodingKey(stringValue: "ops"), batchOpsKey = AnyCodingKey(stringValue: "batch_ops")
        targets = try keys.decodeIfPresent(TargetsSection.self, forKey: AnyCodingKey(stringValue: "targets"))
        batchOps = try keys.decodeIfPresent([BatchOp].self, forKey: batchOpsKey)
        if batchOps?.isEmpty == true {
            throw DecodingError.dataCorruptedError(forKey: batchOpsKey, in: keys,
                                                   debugDescription: "list at least one of: \(BatchOp.names.joined(separator: ", ")), or leave batch_ops out")
        }
        if keys.contains(opsKey) {
            for key in keys.allKeys where !["ops", "validation_split", "batch_ops", "targets"].contains(key.stringValue) {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath + [key],
                    debugDescription: "'\(key.stringValue)' cannot combine with ops (give the recipe as ops, or ImageDataGenerator arguments without ops)"))
            }
            let ops = try keys.decode([AugmentationOp].self, forKey: opsKey)
            do {
                try OpRecipe.validate(ops: ops)
            } catch {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath + Self.codingPath(error.parameter),
                    debugDescription: "\(error.value): \(error.reason)"))
            }
            self.ops = ops
            config = try AugmentationConfig(from: decoder)
            geometry = .exact
            return
        }
        ops = nil
        let known = Set(AugmentationConfig.parameterNames + ["geometry", "batch_ops", "targets"])
        for key in keys.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [key],
                debugDescription: "unknown key '\(key.stringValue)' (expected an ImageDataGenerator argument such as rotation_range, or geometry)"))
        }
        do {
            config = try AugmentationConfig(from: decoder)
        } catch let error as AugmentationError {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [AnyCodingKey(stringValue: error.parameter)],
                debugDescription: "\(error.value): \(error.reason)"))
        }
        let geometryKey = AnyCodingKey(stringValue: "geometry")
        if let word = try keys.decodeIfPresent(String.self, forKey: geometryKey) {
            guard let mode = GeometryMode(rawValue: word) else {
                throw DecodingError.dataCorruptedError(forKey: geometryKey, in: keys,
                                                       debugDescription: "'\(word)' is not one of: exact, keras")
            }
            geometry = mode
        } else {
            geometry = .exact
        }
    }

    /// `ops[3].color_jitter.hue` as coding keys `ops`, `3`, `color_jitter`, `hue`.
    static func codingPath(_ parameter: String) -> [AnyCodingKey] {
        parameter.split(separator: ".").flatMap { part -> [AnyCodingKey] in
            guard let open = part.firstIndex(of: "["), let index = Int(part[part.index(after: open)...].dropLast()) else {
                return [AnyCodingKey(stringValue: String(part))]
            }
            return [AnyCodingKey(stringValue: String(part[..<open])), AnyCodingKey(intValue: index)!]
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encodeIfPresent(targets, forKey: AnyCodingKey(stringValue: "targets"))
        try container.encodeIfPresent(batchOps, forKey: AnyCodingKey(stringValue: "batch_ops"))
        if let ops {
            try container.encode(ops, forKey: AnyCodingKey(stringValue: "ops"))
            try container.encode(config.validationSplit, forKey: AnyCodingKey(stringValue: "validation_split"))
            return
        }
        try config.encode(to: encoder)
        try container.encode(geometry.rawValue, forKey: AnyCodingKey(stringValue: "geometry"))
    }
}
