import Training

/// `training.optimizer`: a name (`adam`) or a mapping with Keras's options.
public struct OptimizerSpec: Codable, Sendable, Equatable {
    public var name: String = "adam"
    public var learningRate: Float?
    public var momentum: Float = 0
    public var nesterov: Bool = false
    public var rho: Float = 0.9
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var weightDecay: Float = 0

    static let names = ["adam", "sgd", "rmsprop"]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case learningRate = "learning_rate"
        case momentum, nesterov, rho
        case beta1 = "beta_1", beta2 = "beta_2"
        case weightDecay = "weight_decay"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let word = try? single.decode(String.self) {
            guard Self.names.contains(word) else {
                throw DecodingError.dataCorruptedError(
                    in: single, debugDescription: "'\(word)' is not one of: \(Self.names.joined(separator: ", "))")
            }
            name = word
            return
        }
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.word(.name, in: Self.names, default: "adam")
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate)
        if let learningRate {
            try c.check(learningRate > 0 && learningRate.isFinite, .learningRate, "must be positive, got \(learningRate)")
        }
        momentum = try c.value(.momentum, default: 0)
        try c.check((0..<1).contains(momentum), .momentum, "must be in [0, 1), got \(momentum)")
        nesterov = try c.value(.nesterov, default: false)
        rho = try c.value(.rho, default: 0.9)
        beta1 = try c.value(.beta1, default: 0.9)
        beta2 = try c.value(.beta2, default: 0.999)
        weightDecay = try c.value(.weightDecay, default: 0)
        try c.check(weightDecay >= 0, .weightDecay, "must be ≥ 0, got \(weightDecay)")
    }

    /// Keras's default learning rate for this optimizer.
    public var effectiveLearningRate: Float { learningRate ?? (name == "sgd" ? 0.01 : 0.001) }

    /// A fresh optimizer, optionally at another learning rate (for fine-tuning).
    public func makeOptimizer(learningRate override: Float? = nil) throws -> any Optimizer {
        let rate = override ?? effectiveLearningRate
        switch name {
        case "sgd": return try SGD(learningRate: rate, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
        case "rmsprop": return try RMSprop(learningRate: rate, rho: rho, weightDecay: weightDecay)
        default: return try Adam(learningRate: rate, beta1: beta1, beta2: beta2, weightDecay: weightDecay)
        }
    }
}
