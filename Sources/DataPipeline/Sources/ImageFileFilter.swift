/// Keras's extension whitelist: a file counts when its lower-cased name
/// **ends with** one of the extensions. No dot is needed (`sketch_png` and
/// `x.apng` count) and hidden files count too, exactly as in Keras.
///
/// Augment decodes PNG, JPEG and TIFF. BMP and PPM files are listed (so the
/// file list, indices and splits match Keras) but fail to decode with
/// `ImageError.unsupportedFormat`, which the loader's `BadFilePolicy` handles.
public struct ImageFileFilter: Sendable, Equatable {
    /// Keras's `white_list_formats`.
    public static let kerasExtensions = ["png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff"]

    /// The accepted name endings, lower-case.
    public let extensions: [String]

    public init(extensions: [String] = ImageFileFilter.kerasExtensions) {
        self.extensions = extensions.map { $0.lowercased() }
    }

    /// Whether `name` (a file name or path) passes the filter.
    public func accepts(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return extensions.contains { lowered.hasSuffix($0) }
    }
}
