/// The `base` section of a transfer-learning pipeline: where the frozen
/// feature extractor comes from.
///
/// ```yaml
/// base:
///   pipeline: digits-base.yaml   # trained first, unless `weights` is given
///   weights: runs/base/best.safetensors
///   layers: 5                    # the base model's first 5 layers are kept, frozen
/// ```
public struct BaseSection: Codable, Sendable, Equatable {
    /// The pipeline file that defines (and, without `weights`, trains) the base model.
    public var pipeline: String
    /// Trained weights of that model (safetensors); when absent the base is trained first.
    public var weights: String?
    /// How many of the base model's leading layers form the feature extractor.
    public var layers: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case pipeline, weights, layers
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pipeline = try c.decode(String.self, forKey: .pipeline)
        weights = try c.decodeIfPresent(String.self, forKey: .weights)
        layers = try c.decode(Int.self, forKey: .layers)
        try c.check(layers >= 1, .layers, "must be at least 1, got \(layers)")
    }
}

/// The `fine_tune` section: after the head is trained on the frozen base,
/// unfreeze the base's top layers and train on at a lower learning rate.
///
/// ```yaml
/// fine_tune:
///   unfreeze_top: 2         # layers with weights, counted from the top of the base
///   learning_rate: 0.0001
///   epochs: 10
/// ```
public struct FineTuneSection: Codable, Sendable, Equatable {
    public var unfreezeTop: Int
    public var learningRate: Float
    public var epochs: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case unfreezeTop = "unfreeze_top", learningRate = "learning_rate", epochs
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unfreezeTop = try c.value(.unfreezeTop, default: 1)
        try c.check(unfreezeTop >= 1, .unfreezeTop, "must be at least 1, got \(unfreezeTop)")
        learningRate = try c.value(.learningRate, default: 1e-4)
        try c.check(learningRate > 0, .learningRate, "must be positive, got \(learningRate)")
        epochs = try c.value(.epochs, default: 10)
        try c.check(epochs >= 1, .epochs, "must be at least 1, got \(epochs)")
    }
}
