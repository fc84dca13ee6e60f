import Foundation

/// A fresh directory under the system temporary directory, removed with its
/// contents when the object goes away (keep it in a `let` for the test's length).
///
/// ```swift
/// let folder = try TemporaryDirectory()
/// try folder.write("cats/a.png", bytes: png)
/// let source = try ImageFolder(directory: folder.path)
/// ```
public final class TemporaryDirectory {
    /// The directory.
    public let url: URL

    /// The directory's path.
    public var path: String { url.path }

    /// Creates an empty directory with a unique name.
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("augment-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `relative` inside the directory (nothing is created).
    public func path(_ relative: String) -> String {
        url.appendingPathComponent(relative).path
    }

    /// Creates `relative` (and its parent directories) with `contents`.
    public func write(_ relative: String, _ contents: String = "") throws {
        try write(relative, bytes: Data(contents.utf8))
    }

    /// Creates `relative` (and its parent directories) holding `bytes`.
    public func write(_ relative: String, bytes: Data) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: file)
    }

    /// Creates the directory `relative` and its parents.
    public func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(relative), withIntermediateDirectories: true)
    }

    /// A symbolic link at `relative` pointing to `destination` (as given).
    public func link(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: destination)
    }
}
