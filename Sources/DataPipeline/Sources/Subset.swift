/// Which part of a validation split a source keeps, as Keras's `subset`.
public enum Subset: String, Sendable, Equatable, Codable {
    case training
    case validation
}

/// Keras's split arithmetic: with `fraction` f and n items, the validation
/// part is the first `Int(f * n)` items (Double product, truncated) and the
/// training part is the rest.
public struct ValidationSplit: Sendable, Equatable {
    /// Fraction of items reserved for validation, in [0, 1).
    public let fraction: Double

    /// - Throws: `DataPipelineError.invalidArgument` unless 0 ≤ fraction < 1.
    public init(_ fraction: Double) throws(DataPipelineError) {
        guard fraction >= 0, fraction < 1 else {
            throw DataPipelineError(.invalidArgument,
                                    message: "validation split \(fraction) is outside [0, 1)")
        }
        self.fraction = fraction
    }

    /// The index range of `subset` among `count` items (all of them when `subset` is nil).
    public func range(of subset: Subset?, count: Int) -> Range<Int> {
        let cut = Int(fraction * Double(count))
        switch subset {
        case nil: return 0..<count
        case .validation: return 0..<cut
        case .training: return cut..<count
        }
    }
}
