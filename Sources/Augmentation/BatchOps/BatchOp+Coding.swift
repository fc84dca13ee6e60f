/// Pipeline-file form of the batch ops, as ``AugmentationOp``'s: a list whose items are an op
/// name alone (its defaults: α = 1, p = 1, torchvision's) or a mapping of one name to its
/// parameters.
///
/// ```yaml
/// batch_ops:
///   - mixup: {alpha: 0.2}
///   - cutmix: {alpha: 1.0, p: 0.5}
/// ```
///
/// Unknown ops and keys, wrong types and bad values throw `DecodingError`s whose coding path ends
/// at the offending key.
extension BatchOp: Codable {
    public init(from decoder: any Decoder) throws {
        let (name, p) = try Parameters.named(decoder, names: Self.names)
        guard Self.names.contains(name) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: p.path,
                debugDescription: "unknown batch op '\(name)' (expected one of: \(Self.names.joined(separator: ", ")))"))
        }
        try p.allow("alpha", "p")
        let alpha = try p.number("alpha") ?? 1.0, probability = try p.number("p") ?? 1.0
        self = name == "mixup" ? .mixup(MixUp(alpha: alpha, p: probability)) : .cutmix(CutMix(alpha: alpha, p: probability))
        do {
            try validate(at: name)
        } catch {
            throw p.error(String(error.parameter.split(separator: ".").last ?? ""), "\(error.value): \(error.reason)")
        }
    }

    /// `{name: {alpha: α, p: p}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        var parameters = container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey(stringValue: name))
        try parameters.encode(alpha, forKey: AnyCodingKey(stringValue: "alpha"))
        try parameters.encode(p, forKey: AnyCodingKey(stringValue: "p"))
    }
}
