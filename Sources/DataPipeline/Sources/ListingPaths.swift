import Foundation

/// Where the file names of a listing (a CSV file, an annotation file) may
/// point: inside the listing's base folder, unless the user allows others.
///
/// Names are resolved lexically (`.` and `..` folded, no file system access),
/// so `../../etc/passwd` and `/etc/passwd` are refused before anything checks
/// whether they exist; a listing that legitimately reaches elsewhere says so
/// with `allowOutside` (`allow_outside_paths: true` in a pipeline file).
///
/// ```swift
/// let paths = ListingPaths(base: "data/images", allowOutside: false)
/// try paths.resolve("cats/1.png", listing: "labels.csv", record: 2)   // "<cwd>/data/images/cats/1.png"
/// try paths.resolve("../../etc/passwd", listing: "labels.csv", record: 3)   // throws
/// ```
public struct ListingPaths: Sendable, Equatable {
    /// The base folder, absolute and normalised.
    public let base: String
    /// Whether names may resolve outside ``base``.
    public let allowOutside: Bool

    /// - Parameters:
    ///   - base: the folder names are relative to; a relative base is taken from the current directory.
    ///   - allowOutside: accept names that resolve outside `base` (`data.allow_outside_paths`).
    public init(base: String, allowOutside: Bool) {
        let absolute = base.hasPrefix("/") ? base : FileManager.default.currentDirectoryPath + "/" + base
        self.base = Self.normalise(absolute)
        self.allowOutside = allowOutside
    }

    /// The absolute path of `name` (relative to ``base``, or absolute).
    /// - Throws: `DataPipelineError.malformedListing` naming the listing, the record and the name
    ///   when it resolves outside ``base`` and outside paths are not allowed.
    public func resolve(_ name: String, listing: String, record: Int) throws(DataPipelineError) -> String {
        let path = Self.normalise(name.hasPrefix("/") ? name : base + "/" + name)
        guard allowOutside || path == base || path.hasPrefix(base == "/" ? "/" : base + "/") else {
            throw DataPipelineError(.malformedListing, path: listing,
                                    message: "record \(record): '\(name)' points outside \(base) "
                                        + "(allow it with allow_outside_paths: true)")
        }
        return path
    }

    /// `path` with empty and `.` components dropped and `..` folded (never above `/`).
    static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
