/// The optional `test` section: a held-out folder evaluated after training.
///
/// ```yaml
/// test:
///   directory: ../samples/digits/test
/// ```
public struct TestSection: Codable, Sendable, Equatable {
    /// A folder of class sub-folders with the same classes as the training data.
    public var directory: String
    /// Batch size for evaluation (default: the data section's).
    public var batchSize: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case directory
        case batchSize = "batch_size"
    }

    public init(directory: String, batchSize: Int? = nil) {
        self.directory = directory
        self.batchSize = batchSize
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        directory = try c.decode(String.self, forKey: .directory)
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize)
        if let batchSize { try c.check(batchSize >= 1, .batchSize, "must be at least 1, got \(batchSize)") }
    }
}
