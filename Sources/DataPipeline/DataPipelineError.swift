/// The error type of `DataPipeline`'s own checks: bad parameters, unreadable
/// listings, inconsistent sources. Decoding failures of individual images keep
/// their own type (`Imaging.ImageError`) and are passed through unchanged.
public struct DataPipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// A parameter is out of range or inconsistent with another one.
        case invalidArgument
        /// A directory or file could not be listed or read.
        case io
        /// A CSV listing is malformed or lacks a column.
        case malformedListing
        /// Every candidate sample of an epoch failed to render.
        case noUsableSample
    }

    public var kind: Kind
    /// The file or directory involved, when there is one.
    public var path: String?
    /// A human-readable reason naming the offending key or value.
    public var message: String

    public init(_ kind: Kind, path: String? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String {
        (path.map { "\($0): " } ?? "") + "\(kind.rawValue): \(message)"
    }
}
