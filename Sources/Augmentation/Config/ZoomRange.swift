/// Keras's `zoom_range`: a float `z` means `[1 - z, 1 + z]`; a pair is used as is.
/// `zx` and `zy` are drawn independently from it; values > 1 shrink the content.
public struct ZoomRange: Sendable, Equatable {
    /// Smallest factor (> 0).
    public var lower: Double
    /// Largest factor.
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Keras's scalar form: `[1 - z, 1 + z]`.
    public init(_ z: Double) {
        self.init(lower: 1 - z, upper: 1 + z)
    }

    /// No zoom: `[1, 1]`.
    public static let none = ZoomRange(0)

    /// `false` when both bounds are 1 (Keras then does not draw).
    public var isEnabled: Bool { !(lower == 1 && upper == 1) }
}

extension ZoomRange: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let pair = try? container.decode([Double].self) {
            guard pair.count == 2 else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "zoom_range must be a number or a pair, got \(pair)")
            }
            self.init(lower: pair[0], upper: pair[1])
        } else {
            self.init(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode([lower, upper])
    }
}
