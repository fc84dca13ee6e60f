import Training

/// The optional `model` section: a Keras-style layer list. The input shape
/// comes from the data section (target size and colour mode).
///
/// ```yaml
/// model:
///   seed: 1
///   layers:
///     - conv2d: {filters: 32, kernel_size: 3, activation: relu}
///     - max_pooling2d: {pool_size: 2}
///     - flatten
///     - dense: {units: 10, activation: softmax}
/// ```
public struct ModelSection: Codable, Sendable, Equatable {
    public var layers: [LayerSpec]
    /// Seed of weight initialisation and dropout masks (default: the data seed).
    public var seed: UInt64?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case layers, seed
    }

    public init(layers: [LayerSpec], seed: UInt64? = nil) {
        self.layers = layers
        self.seed = seed
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layers = try c.decode([LayerSpec].self, forKey: .layers)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        try c.check(!layers.isEmpty, .layers, "needs at least one layer")
        for (index, spec) in layers.enumerated() {
            do {
                _ = try spec.makeLayer()
            } catch {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath + [CodingKeys.layers, AnyCodingKey(intValue: index)!],
                    debugDescription: "\(error)"))
            }
        }
    }

    /// Fresh, unbuilt layers for a new model.
    public func makeLayers() throws -> [any Layer] {
        try layers.map { try $0.makeLayer() }
    }
}
