/// The one error type of `Imaging`: what went wrong, with the file (when known),
/// the format, and the underlying library's own message.
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// Not a PNG, JPEG, TIFF or WebP signature, or a variant the library cannot
        /// decode (12-bit JPEG, an exotic TIFF photometric, animated WebP).
        case unsupportedFormat
        /// Zero bytes.
        case emptyFile
        /// The data ends early (a JPEG is accepted with `DecodeOptions.allowTruncated`).
        case truncated
        /// The codec rejected the data (bad checksum, invalid marker, broken stream).
        case corrupt
        /// Width × height over `DecodeOptions.pixelLimit` or the codec's own maximum,
        /// or memory could not be allocated.
        case tooLarge
        /// The file could not be opened, read or written.
        case io
        /// A parameter out of range (resize size, JPEG quality, TIFF page, ...).
        case invalidArgument
    }

    public var kind: Kind
    /// The file involved, when the image came from a file.
    public var path: String?
    /// The format, when known ("png", "jpeg", "tiff", "webp").
    public var format: String?
    /// A human-readable reason, including the codec library's message.
    public var message: String

    public init(_ kind: Kind, path: String? = nil, format: String? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.format = format
        self.message = message
    }

    public var description: String {
        var text = ""
        if let path { text += "\(path): " }
        if let format { text += "\(format): " }
        return text + "\(kind.rawValue): \(message)"
    }
}
