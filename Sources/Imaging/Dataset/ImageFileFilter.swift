/// The package's one list of image file names: every command and source that
/// picks image files from a folder (`augment inspect`, the loader's sources,
/// preview and `augment bench decode`) asks this filter, so they count the same files.
///
/// It is Keras's extension whitelist plus `webp`: a file counts when its
/// lower-cased name **ends with** one of the extensions. No dot is needed
/// (`sketch_png` and `x.apng` count) and hidden files count too, exactly as in
/// Keras. Keras skips WebP files; pass `extensions: ImageFileFilter.kerasExtensions`
/// for Keras's file list exactly.
///
/// Augment decodes PNG, JPEG, TIFF and WebP. BMP and PPM files are listed (so the
/// file list, indices and splits match Keras) but fail to decode with
/// `ImageError.unsupportedFormat`, which the loader's `BadFilePolicy` handles
/// and `augment inspect` reports as unreadable.
///
/// ```swift
/// ImageFileFilter().accepts("cats/001.JPG")   // true
/// ImageFileFilter().accepts("notes.txt")      // false
/// ```
public struct ImageFileFilter: Sendable, Equatable {
    /// Keras's `white_list_formats`.
    public static let kerasExtensions = ["png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff"]

    /// The default list: Keras's, and `webp`.
    public static let defaultExtensions = kerasExtensions + ["webp"]

    /// The accepted name endings, lower-case.
    public let extensions: [String]

    /// A filter accepting names that end with one of `extensions` (any case).
    public init(extensions: [String] = ImageFileFilter.defaultExtensions) {
        self.extensions = extensions.map { $0.lowercased() }
    }

    /// Whether `name` (a file name or path) passes the filter.
    public func accepts(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return extensions.contains { lowered.hasSuffix($0) }
    }
}
