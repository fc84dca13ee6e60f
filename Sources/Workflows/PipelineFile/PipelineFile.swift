import Foundation

/// A whole experiment in one YAML file: data, augmentation, and optionally the
/// model, its training and a held-out test set. See `pipelines/reference.yaml`.
public struct PipelineFile: Codable, Sendable {
    public var data: DataSection
    public var test: TestSection?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case data, test
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decode(DataSection.self, forKey: .data)
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
