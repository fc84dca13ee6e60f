import Foundation

/// A whole experiment in one YAML file: data, augmentation, and optionally the
/// model, its training and a held-out test set. See `pipelines/reference.yaml`.
public struct PipelineFile: Codable, Sendable {
    public var data: DataSection
    public var augmentation: AugmentationSection
    public var model: ModelSection?
    public var training: TrainingSection?
    public var test: TestSection?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case data, augmentation, model, training, test
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decode(DataSection.self, forKey: .data)
        augmentation = try c.value(.augmentation, default: AugmentationSection())
        model = try c.decodeIfPresent(ModelSection.self, forKey: .model)
        training = try c.decodeIfPresent(TrainingSection.self, forKey: .training)
        if training != nil, model == nil {
            throw DecodingError.dataCorruptedError(forKey: .training, in: c,
                                                   debugDescription: "a 'training' section needs a 'model' section")
        }
        test = try c.decodeIfPresent(TestSection.self, forKey: .test)
    }

    /// Makes every relative path absolute against `folder` (the pipeline file's own folder).
    mutating func resolvePaths(relativeTo folder: String) {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/") else { return path }
            return URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
        }
        data.directory = resolve(data.directory)
        data.csv = resolve(data.csv)
        data.csvDirectory = resolve(data.csvDirectory)
        if let directory = resolve(test?.directory) { test?.directory = directory }
    }
}
