/// The one error type of `Augmentation`: which parameter was wrong, its value, and why.
public struct AugmentationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parameter (Keras snake_case name) or input that was rejected.
    public var parameter: String
    /// The rejected value, as text.
    public var value: String
    /// Why it was rejected.
    public var reason: String

    /// An error about `parameter` having `value`, because of `reason`.
    public init(parameter: String, value: String, reason: String) {
        self.parameter = parameter
        self.value = value
        self.reason = reason
    }

    /// `invalid <parameter> = <value>: <reason>`.
    public var description: String { "invalid \(parameter) = \(value): \(reason)" }
}
