import Augmentation
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
