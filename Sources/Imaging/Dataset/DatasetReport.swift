/// What `DatasetInspector` found in a folder of class sub-folders (or one file).
public struct DatasetReport: Sendable {
    /// One class folder.
    public struct ClassSummary: Sendable, Equatable {
        /// Folder name (`"."` for images directly inside the root).
        public var name: String
        /// Readable images in the folder, recursively.
        public var imageCount: Int
    }

    /// A file that could not be decoded, with the reason.
    public struct UnreadableFile: Sendable, Equatable {
        public var path: String
        public var error: ImageError
    }

    /// The inspected path.
    public var root: String
    /// Classes in name order.
    public var classes: [ClassSummary]
    /// Readable images per format.
    public var formats: [ImageFormat: Int]
    /// Smallest and largest width and height among readable images (as displayed, EXIF applied).
    public var widthRange: ClosedRange<Int>?
    public var heightRange: ClosedRange<Int>?
    /// Files whose extension marks them as images but which failed to decode, in path order.
    public var unreadable: [UnreadableFile]
    /// Files skipped because their name has no image extension.
    public var skippedCount: Int

    /// Number of readable images.
    public var imageCount: Int { classes.reduce(0) { $0 + $1.imageCount } }

    /// A human-readable multi-line summary.
    public func rendered() -> String {
        var lines = ["\(root): \(imageCount) readable images in \(classes.count) classes"]
        let nameWidth = classes.map(\.name.count).max() ?? 0
        for summary in classes {
            let padding = String(repeating: " ", count: nameWidth - summary.name.count)
            lines.append("  \(summary.name)\(padding)  \(summary.imageCount)")
        }
        let formatList = formats.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        lines.append("formats: \(formatList.isEmpty ? "none" : formatList)")
        if let widthRange, let heightRange {
            lines.append("width: \(widthRange.lowerBound)...\(widthRange.upperBound) px, "
                         + "height: \(heightRange.lowerBound)...\(heightRange.upperBound) px")
        }
        if skippedCount > 0 { lines.append("skipped (no image extension): \(skippedCount)") }
        lines.append("unreadable: \(unreadable.count)")
        for file in unreadable {
            lines.append("  \(file.path): \(file.error.kind.rawValue): \(file.error.message)")
        }
        return lines.joined(separator: "\n")
    }
}
