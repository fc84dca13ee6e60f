/// In a pipeline file: a size such as `8GB`, `512MiB`, `2000000000` or `50%`
/// (see ``MemoryLimit/init(parsing:origin:)``); written back as bytes.
extension MemoryLimit: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = (try? container.decode(Int.self)).map(String.init) ?? (try? container.decode(String.self)) ?? ""
        let key = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        do {
            self = try MemoryLimit(parsing: text, origin: key)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a size such as 8GB, 512MiB, 2000000000 or 50%, got '\(text)'")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes)
    }
}
