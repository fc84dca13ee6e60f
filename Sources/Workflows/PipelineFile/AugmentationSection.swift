import Augmentation

/// The `augmentation` section: Keras's `ImageDataGenerator` arguments under
/// their own names, plus `geometry` (`exact`, the default, or `keras` to
/// reproduce Keras's defects bit for bit).
///
/// ```yaml
/// augmentation:
///   rotation_range: 20
///   width_shift_range: 0.2
///   horizontal_flip: true
///   rescale: 0.00392156862745098
/// ```
public struct AugmentationSection: Codable, Sendable, Equatable {
    public var config: AugmentationConfig
    public var geometry: GeometryMode

    public init(config: AugmentationConfig = AugmentationConfig(), geometry: GeometryMode = .exact) {
        self.config = config
        self.geometry = geometry
    }

    public init(from decoder: Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyCodingKey.self)
        let known = Set(AugmentationConfig.parameterNames + ["geometry"])
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

    public func encode(to encoder: Encoder) throws {
        try config.encode(to: encoder)
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encode(geometry.rawValue, forKey: AnyCodingKey(stringValue: "geometry"))
    }
}
