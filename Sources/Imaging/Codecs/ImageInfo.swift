/// What an image file's header says, read without decoding any pixel data.
///
/// ```swift
/// let info = try ImageInfo.probe(contentsOf: "scan.tif")
/// print(info.width, info.height, info.pageCount)
/// ```
public struct ImageInfo: Sendable, Equatable {
    /// The sniffed format.
    public var format: ImageFormat
    /// Stored width, before any EXIF orientation.
    public var width: Int
    /// Stored height, before any EXIF orientation.
    public var height: Int
    /// Channels `Image.decode` produces: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    public var channels: Int
    /// Bits per sample in the file (1, 2, 4, 8 or 16).
    public var bitDepth: Int
    /// Number of pages (TIFF directories); 1 for PNG and JPEG.
    public var pageCount: Int
    /// EXIF orientation 1...8 (JPEG); 1 when absent.
    public var orientation: Int

    /// Width and height as displayed once the EXIF orientation is applied.
    public var orientedSize: (width: Int, height: Int) {
        orientation >= 5 ? (height, width) : (width, height)
    }

    /// Probes in-memory file contents.
    public static func probe(_ bytes: [UInt8]) throws(ImageError) -> ImageInfo {
        try probe(bytes, path: nil)
    }

    /// Probes the file at `path`, decoding no pixel. Only the first 64 KiB
    /// are read unless the header lies beyond them (a TIFF directory at the
    /// end of the file, a JPEG with large metadata), then the whole file.
    public static func probe(contentsOf path: String) throws(ImageError) -> ImageInfo {
        let head = try FileBytes.read(path, limit: headLength)
        do {
            return try probe(head, path: path)
        } catch where head.count == headLength && (error.kind == .truncated || error.kind == .corrupt) {
            return try probe(try FileBytes.read(path), path: path)
        }
    }

    private static let headLength = 64 * 1024

    private static func probe(_ bytes: [UInt8], path: String?) throws(ImageError) -> ImageInfo {
        try withBytes(bytes) { raw throws(ImageError) in try CodecDecoder.probe(raw, path: path) }
    }
}
