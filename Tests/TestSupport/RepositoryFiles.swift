import Foundation

/// The one way tests find files of the repository: fixtures, samples and
/// pipeline files, all located from this file's `#filePath` (no bundle
/// resources), so every test target reads the committed copies in place.
///
/// ```swift
/// let cases = RepositoryFiles.fixture("DataPipelineTests", "flow_from_directory.json")
/// let digits = RepositoryFiles.url("samples/digits/train")
/// ```
public enum RepositoryFiles {
    /// The repository root (the folder holding Package.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `relative` below the repository root, e.g. `"samples/photos"`.
    public static func url(_ relative: String) -> URL {
        root.appendingPathComponent(relative)
    }

    /// `Tests/<testTarget>/Fixtures/<relative>`.
    public static func fixture(_ testTarget: String, _ relative: String) -> URL {
        url("Tests/\(testTarget)/Fixtures").appendingPathComponent(relative)
    }
}
