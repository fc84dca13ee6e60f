/// The one error type of `Imaging`: what went wrong, with the file (when known),
/// the format, and the underlying library's own message.
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        case unsupportedFormat
        case emptyFile
        case truncated
        case corrupt
        case tooLarge
        case io
        case invalidArgument
    }

    public var kind: Kind
    /// The file involved, when the image came from a file.
    public var path: String?
    /// The format, when known ("png", "jpeg", "tiff").
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
