/// A thread count as users write it: `auto` (decided by ``ThreadPlan``) or a positive number.
public enum ThreadCount: Sendable, Equatable, Hashable, CustomStringConvertible {
    case auto
    case fixed(Int)

    /// Parses "auto" or a positive integer.
    /// - Parameters:
    ///   - text: what the user wrote; surrounding white space is ignored.
    ///   - setting: the option or key being read, for the error message.
    /// - Throws: ``ThreadCountError`` for zero, negative or non-numeric text.
    public init(parsing text: String, setting: String) throws(ThreadCountError) {
        let trimmed = text.trimmingWhitespace
        if trimmed.lowercased() == "auto" {
            self = .auto
        } else if let value = Int(trimmed) {
            self = try ThreadCount(validating: value, setting: setting)
        } else {
            throw ThreadCountError(setting: setting, value: String(text))
        }
    }

    /// A fixed count, checked to be positive.
    /// - Throws: ``ThreadCountError`` for zero or a negative count.
    public init(validating value: Int, setting: String) throws(ThreadCountError) {
        guard value >= 1 else { throw ThreadCountError(setting: setting, value: String(value)) }
        self = .fixed(value)
    }

    /// "auto" or the number, as the user would write it.
    public var description: String {
        switch self {
        case .auto: "auto"
        case .fixed(let count): String(count)
        }
    }
}

/// A thread count that is neither `auto` nor a positive integer.
public struct ThreadCountError: Error, Equatable, CustomStringConvertible {
    /// The option, key or environment variable, e.g. "--threads" or "OMP_NUM_THREADS".
    public var setting: String
    /// The rejected text.
    public var value: String
    /// Why a well-formed count does not fit; nil when it is not auto or a positive integer.
    public var reason: String?

    public init(setting: String, value: String, reason: String? = nil) {
        self.setting = setting
        self.value = value
        self.reason = reason
    }

    public var description: String {
        if let reason { return "\(setting) \(value) \(reason)" }
        return "\(setting) must be auto or a positive integer, got '\(value)'"
    }
}
