/// The options any layer may take, under Keras's argument names; each layer
/// kind reads the ones it uses and ``LayerSpec/makeLayer()`` rejects those it
/// does not (`LayerKind`). `name`, `trainable` and `inputs` (the nodes a
/// layer reads, by name; `input` is the model's input; default: the entry
/// before) apply to every kind.
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
    /// `valid`/`same` for convolutions and pooling; margins for `zero_padding2d`.
    public var padding: PaddingOption?
    public var cropping: Margins?
    public var dilationRate: IntPair?
    public var groups: Int?
    public var depthMultiplier: Int?
    public var outputPadding: IntPair?
    public var activation: String?
    public var alpha: Float?
    public var approximate: Bool?
    public var useBias: Bool?
    public var rate: Float?
    public var momentum: Float?
    public var epsilon: Float?
    public var maxValue: Float?
    public var negativeSlope: Float?
    public var threshold: Float?
    public var scale: Float?
    public var offset: Float?
    public var mean: [Float]?
    public var variance: [Float]?
    public var invert: Bool?
    public var targetShape: [Int]?
    public var dims: [Int]?
    public var size: IntPair?
    public var interpolation: String?
    public var keepdims: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, trainable, inputs, axis, filters, units
        case kernelSize = "kernel_size", strides, poolSize = "pool_size", padding, cropping
        case dilationRate = "dilation_rate", groups, depthMultiplier = "depth_multiplier", outputPadding = "output_padding"
        case activation, alpha, approximate, useBias = "use_bias", rate, momentum, epsilon
        case maxValue = "max_value", negativeSlope = "negative_slope", threshold, scale, offset
        case mean, variance, invert, targetShape = "target_shape", dims, size, interpolation, keepdims
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
        padding = try c.decodeIfPresent(PaddingOption.self, forKey: .padding)
        cropping = try c.decodeIfPresent(Margins.self, forKey: .cropping)
        dilationRate = try c.decodeIfPresent(IntPair.self, forKey: .dilationRate)
        groups = try c.decodeIfPresent(Int.self, forKey: .groups)
        depthMultiplier = try c.decodeIfPresent(Int.self, forKey: .depthMultiplier)
        outputPadding = try c.decodeIfPresent(IntPair.self, forKey: .outputPadding)
        activation = try c.decodeIfPresent(String.self, forKey: .activation)
        alpha = try c.decodeIfPresent(Float.self, forKey: .alpha)
        approximate = try c.decodeIfPresent(Bool.self, forKey: .approximate)
        useBias = try c.decodeIfPresent(Bool.self, forKey: .useBias)
        rate = try c.decodeIfPresent(Float.self, forKey: .rate)
        momentum = try c.decodeIfPresent(Float.self, forKey: .momentum)
        epsilon = try c.decodeIfPresent(Float.self, forKey: .epsilon)
        maxValue = try c.decodeIfPresent(Float.self, forKey: .maxValue)
        negativeSlope = try c.decodeIfPresent(Float.self, forKey: .negativeSlope)
        threshold = try c.decodeIfPresent(Float.self, forKey: .threshold)
        scale = try c.decodeIfPresent(Float.self, forKey: .scale)
        offset = try c.decodeIfPresent(Float.self, forKey: .offset)
        mean = try c.decodeIfPresent([Float].self, forKey: .mean)
        variance = try c.decodeIfPresent([Float].self, forKey: .variance)
        invert = try c.decodeIfPresent(Bool.self, forKey: .invert)
        targetShape = try c.decodeIfPresent([Int].self, forKey: .targetShape)
        dims = try c.decodeIfPresent([Int].self, forKey: .dims)
        size = try c.decodeIfPresent(IntPair.self, forKey: .size)
        interpolation = try c.decodeIfPresent(String.self, forKey: .interpolation)
        keepdims = try c.decodeIfPresent(Bool.self, forKey: .keepdims)
    }

    /// Names of the options that are set, in file spelling.
    var givenKeys: [String] {
        let mirror: [(CodingKeys, Any?)] = [
            (.name, name), (.trainable, trainable), (.inputs, inputs), (.axis, axis), (.filters, filters), (.units, units),
            (.kernelSize, kernelSize), (.strides, strides), (.poolSize, poolSize), (.padding, padding),
            (.cropping, cropping), (.dilationRate, dilationRate), (.groups, groups), (.depthMultiplier, depthMultiplier),
            (.outputPadding, outputPadding), (.activation, activation), (.alpha, alpha), (.approximate, approximate),
            (.useBias, useBias), (.rate, rate), (.momentum, momentum), (.epsilon, epsilon), (.maxValue, maxValue),
            (.negativeSlope, negativeSlope), (.threshold, threshold), (.scale, scale), (.offset, offset),
            (.mean, mean), (.variance, variance), (.invert, invert), (.targetShape, targetShape), (.dims, dims),
            (.size, size), (.interpolation, interpolation), (.keepdims, keepdims),
        ]
        return mirror.compactMap { $0.1 == nil ? nil : $0.0.rawValue }
    }
}

/// Margins of the four sides of an image, as Keras's `ZeroPadding2D` and
/// `Cropping2D` take them: one integer (all sides), `[height, width]`
/// (top and bottom, left and right) or `[[top, bottom], [left, right]]`.
public struct Margins: Codable, Sendable, Equatable {
    public var top: Int, bottom: Int, left: Int, right: Int

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let all = try? container.decode(Int.self) {
            (top, bottom, left, right) = (all, all, all, all)
        } else if let pair = try? container.decode([Int].self), pair.count == 2 {
            (top, bottom, left, right) = (pair[0], pair[0], pair[1], pair[1])
        } else if let sides = try? container.decode([[Int]].self), sides.count == 2, sides.allSatisfy({ $0.count == 2 }) {
            (top, bottom, left, right) = (sides[0][0], sides[0][1], sides[1][0], sides[1][1])
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an integer, [height, width] or [[top, bottom], [left, right]]")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode([[top, bottom], [left, right]])
    }

    var tuple: ((Int, Int), (Int, Int)) { ((top, bottom), (left, right)) }
}

/// `padding`: a mode (`valid`, `same`) for convolutions and pooling, or
/// ``Margins`` for `zero_padding2d`.
public enum PaddingOption: Codable, Sendable, Equatable {
    case mode(String)
    case margins(Margins)

    public init(from decoder: Decoder) throws {
        // Margins first: YAML would also read `2` as the string "2".
        if let margins = try? Margins(from: decoder) {
            self = .margins(margins)
        } else if let mode = try? decoder.singleValueContainer().decode(String.self) {
            self = .mode(mode)
        } else {
            self = .margins(try Margins(from: decoder))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .mode(mode):
            var container = encoder.singleValueContainer()
            try container.encode(mode)
        case let .margins(margins): try margins.encode(to: encoder)
        }
    }
}
