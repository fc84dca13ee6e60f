/// Keras's `width_shift_range` / `height_shift_range`, whose type decides its meaning.
///
/// | Keras value | case | draw |
/// |---|---|---|
/// | float < 1 | `.fraction(v)` | `uniform(-v, v) × size` |
/// | float ≥ 1 | `.pixels(v)` | `uniform(-v, v)` pixels |
/// | int n | `.integerPixels(n)` | `randint(0, n) × ±1`: integers in `[-(n-1), n-1]` |
/// | list | `.choices(list)` | `choice(list) × ±1`, times `size` when every entry is < 1 |
///
/// Decoding follows the same rule: a JSON/YAML integer is `.integerPixels`, a real number is
/// `.fraction` or `.pixels`, an array is `.choices`. (A decoder may read `5.0` as the integer 5;
/// write `.pixels(5)` in code, or 5.5-style values, when uniform pixel draws are wanted.)
public enum ShiftRange: Sendable, Equatable {
    /// A float < 1: `uniform(-v, v) × size`.
    case fraction(Double)
    /// A float ≥ 1: `uniform(-v, v)` pixels.
    case pixels(Double)
    /// An int n: `randint(0, n) × ±1` pixels.
    case integerPixels(Int)
    /// A list: `choice(list) × ±1`, scaled by the size when every entry is < 1.
    case choices([Double])

    /// Builds the case Keras would infer from a floating-point value.
    public static func real(_ value: Double) -> ShiftRange {
        value < 1 ? .fraction(value) : .pixels(value)
    }

    /// `false` when the range draws nothing (Keras's falsy 0, 0.0 or empty list).
    public var isEnabled: Bool {
        switch self {
        case .fraction(let v), .pixels(let v): return v != 0
        case .integerPixels(let n): return n != 0
        case .choices(let list): return !list.isEmpty
        }
    }

    func validate(name: String) throws(AugmentationError) {
        switch self {
        case .fraction(let v), .pixels(let v):
            guard v.isFinite, v >= 0 else {
                throw AugmentationError(parameter: name, value: "\(v)", reason: "must be a finite number >= 0")
            }
        case .integerPixels(let n):
            guard n >= 0 else {
                throw AugmentationError(parameter: name, value: "\(n)", reason: "must be >= 0")
            }
        case .choices(let list):
            guard list.allSatisfy(\.isFinite) else {
                throw AugmentationError(parameter: name, value: "\(list)", reason: "entries must be finite")
            }
        }
    }
}

extension ShiftRange: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([Double].self) {
            self = .choices(list)
        } else if let integer = try? container.decode(Int.self) {
            self = .integerPixels(integer)
        } else {
            self = .real(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .fraction(let v), .pixels(let v): try container.encode(v)
        case .integerPixels(let n): try container.encode(n)
        case .choices(let list): try container.encode(list)
        }
    }
}
