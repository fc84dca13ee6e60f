import Training

/// One entry of the `model.layers` list: a one-key mapping from a Keras layer
/// name to its options, or a bare name for layers without options.
///
/// ```yaml
/// layers:
///   - conv2d: {filters: 32, kernel_size: 3, activation: relu}
///   - max_pooling2d: {pool_size: 2}
///   - flatten
///   - dense: {units: 10, activation: softmax}
/// ```
public struct LayerSpec: Codable, Sendable, Equatable {
    /// The Keras layer name (`conv2d`, `dense`, ...).
    public var kind: String
    /// Options given for it, validated when the layer is built.
    public var options: LayerOptions

    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            try Self.checkKind(name, codingPath: decoder.codingPath)
            kind = name
            options = LayerOptions()
            return
        }
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a layer is a one-key mapping such as 'dense: {units: 10}'"))
        }
        try Self.checkKind(key.stringValue, codingPath: decoder.codingPath + [key])
        kind = key.stringValue
        options = try container.decodeNil(forKey: key) ? LayerOptions() : container.decode(LayerOptions.self, forKey: key)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encode(options, forKey: AnyCodingKey(stringValue: kind))
    }

    private static func checkKind(_ name: String, codingPath: [CodingKey]) throws {
        guard LayerKind.named(name) != nil else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath,
                debugDescription: "unknown layer '\(name)' (expected one of: \(LayerKind.names.joined(separator: ", ")))"))
        }
    }
}

/// The options any layer may take; each layer kind reads the ones it uses and
/// ``LayerSpec/makeLayer()`` rejects those it does not. `name`, `trainable`
/// and `inputs` (the nodes a layer reads, by name; `input` is the model's
/// input; default: the entry before) apply to every kind.
public struct LayerOptions: Codable, Sendable, Equatable {
    public var name: String?
    public var trainable: Bool?
    public var inputs: [String]?
    public var axis: Int?
    public var filters: Int?
    public var units: Int?
    public var kernelSize: IntPair?
    public var strides: IntPair?
    public var poolSize: IntPair?
    public var padding: String?
    public var activation: String?
    public var alpha: Float?
    public var useBias: Bool?
    public var rate: Float?
    public var momentum: Float?
    public var epsilon: Float?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, trainable, inputs, axis, filters, units
        case kernelSize = "kernel_size", strides, poolSize = "pool_size", padding, activation, alpha
        case useBias = "use_bias", rate, momentum, epsilon
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        trainable = try c.decodeIfPresent(Bool.self, forKey: .trainable)
        inputs = try c.decodeIfPresent([String].self, forKey: .inputs)
        axis = try c.decodeIfPresent(Int.self, forKey: .axis)
        filters = try c.decodeIfPresent(Int.self, forKey: .filters)
        units = try c.decodeIfPresent(Int.self, forKey: .units)
        kernelSize = try c.decodeIfPresent(IntPair.self, forKey: .kernelSize)
        strides = try c.decodeIfPresent(IntPair.self, forKey: .strides)
        poolSize = try c.decodeIfPresent(IntPair.self, forKey: .poolSize)
        padding = try c.decodeIfPresent(String.self, forKey: .padding)
        activation = try c.decodeIfPresent(String.self, forKey: .activation)
        alpha = try c.decodeIfPresent(Float.self, forKey: .alpha)
        useBias = try c.decodeIfPresent(Bool.self, forKey: .useBias)
        rate = try c.decodeIfPresent(Float.self, forKey: .rate)
        momentum = try c.decodeIfPresent(Float.self, forKey: .momentum)
        epsilon = try c.decodeIfPresent(Float.self, forKey: .epsilon)
    }

    /// Names of the options that are set, in file spelling.
    var givenKeys: [String] {
        let mirror: [(CodingKeys, Any?)] = [
            (.name, name), (.trainable, trainable), (.inputs, inputs), (.axis, axis), (.filters, filters), (.units, units),
            (.kernelSize, kernelSize), (.strides, strides), (.poolSize, poolSize), (.padding, padding),
            (.activation, activation), (.alpha, alpha), (.useBias, useBias), (.rate, rate),
            (.momentum, momentum), (.epsilon, epsilon),
        ]
        return mirror.compactMap { $0.1 == nil ? nil : $0.0.rawValue }
    }
}

/// A size given as one integer (`3`, meaning 3×3) or two (`[3, 5]`), as Keras accepts.
public struct IntPair: Codable, Sendable, Equatable {
    public var first: Int
    public var second: Int

    public init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self.init(value, value)
            return
        }
        let pair = try container.decode([Int].self)
        guard pair.count == 2 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected one integer or two, got \(pair)")
        }
        self.init(pair[0], pair[1])
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode([first, second])
    }

    var tuple: (Int, Int) { (first, second) }
}
