/// A problem in a pipeline file, located as precisely as the YAML allows.
///
/// Its description reads like a compiler diagnostic:
/// `pipelines/digits.yaml:7:3: data.batch_size: must be at least 1, got 0`.
public struct PipelineFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pipeline file's path as given.
    public var file: String
    /// 1-based line of the offending key or value, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// Dotted path of the key, e.g. `training.optimizer.learning_rate`.
    public var key: String?
    /// What is wrong, in words.
    public var reason: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.reason = reason
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        if let key, !key.isEmpty { return "\(location): \(key): \(reason)" }
        return "\(location): \(reason)"
    }
}
