import Foundation

/// Reading the small text files of /proc and /sys.
public enum SystemFiles {
    /// The file's text, or nil when it is missing or unreadable.
    @Sendable public static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
