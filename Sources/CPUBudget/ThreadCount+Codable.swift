/// In a pipeline file: `auto` or a positive integer (`threads: 2`, `workers: auto`).
extension ThreadCount: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = (try? container.decode(Int.self)).map(String.init) ?? (try? container.decode(String.self))
        do {
            self = try ThreadCount(parsing: text ?? "", setting: "value")
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "must be auto or a positive integer, got \(text.map { "'\($0)'" } ?? "a non-scalar")")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .auto: try container.encode("auto")
        case .fixed(let count): try container.encode(count)
        }
    }
}
