import Applications

/// The `base` section of a transfer-learning pipeline: where the frozen
/// feature extractor comes from. Either another pipeline file's model:
///
/// ```yaml
/// base:
///   pipeline: digits-base.yaml   # trained first, unless `weights` is given
///   weights: runs/base/best.safetensors
///   layers: 5                    # the base model's first 5 layers are kept, frozen
/// ```
///
/// or a Keras application, with a Keras weight file (legacy `.h5` such as the
/// `*_notop.h5` downloads, or `.weights.h5`), or none for seeded random weights:
///
/// ```yaml
/// base:
///   application: mobilenet_v2    # vgg16, resnet50, mobilenet_v2, efficientnet_b0
///   weights: ~/.keras/models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5
///   include_top: false
///   pooling: none                # none, avg, max
///   alpha: 1.0                   # mobilenet_v2 only
///   trainable: false
/// ```
public struct BaseSection: Codable, Sendable, Equatable {
    /// The pipeline file that defines (and, without `weights`, trains) the base model.
    public var pipeline: String?
    /// The Keras application the base is (instead of `pipeline`).
    public var application: String?
    /// Trained weights: safetensors for a pipeline base (when absent the base
    /// is trained first), a Keras HDF5 file for an application (when absent,
    /// random weights from the data seed).
    public var weights: String?
    /// How many of a pipeline base's leading layers form the feature extractor.
    public var layers: Int
    /// An application's `include_top`, `pooling`, `alpha` and `trainable`.
    public var includeTop: Bool
    public var pooling: String
    public var alpha: Float
    public var trainable: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case pipeline, application, weights, layers
        case includeTop = "include_top", pooling, alpha, trainable
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pipeline = try c.decodeIfPresent(String.self, forKey: .pipeline)
        application = try c.decodeIfPresent(String.self, forKey: .application)
        weights = try c.decodeIfPresent(String.self, forKey: .weights)
        try c.check((pipeline == nil) != (application == nil), pipeline == nil ? .application : .pipeline,
                    "give exactly one of 'pipeline' (a base trained by Augment) and 'application' (a Keras application)")
        layers = try c.value(.layers, default: 0)
        includeTop = try c.value(.includeTop, default: false)
        pooling = try c.value(.pooling, default: "none")
        alpha = try c.value(.alpha, default: 1)
        trainable = try c.value(.trainable, default: false)
        if pipeline != nil {
            try c.check(layers >= 1, .layers, "must be at least 1, got \(layers)")
        } else {
            try c.check(layers == 0, .layers, "takes the first layers of a pipeline base; an application is used whole")
            let names = Application.allCases.map(\.rawValue).joined(separator: ", ")
            try c.check(Application(name: application!) != nil, .application, "'\(application!)' is not one of \(names)")
            try c.check(["none", "avg", "max"].contains(pooling), .pooling, "'\(pooling)' is not one of none, avg, max")
            try c.check(alpha > 0, .alpha, "must be positive, got \(alpha)")
        }
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
