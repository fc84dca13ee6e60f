import CImageCodecs

/// A file format Augment reads and (PNG, JPEG, WebP) writes.
///
/// The format of a file is always sniffed from its first bytes, never from
/// its name: a PNG saved as `photo.jpg` decodes as PNG.
public enum ImageFormat: String, Sendable, Equatable, Hashable, CaseIterable {
    case png
    case jpeg
    case tiff
    case webp

    /// The codec libraries linked in and their versions, e.g.
    /// `libpng 1.6.39, libjpeg-turbo 2.1.5, libtiff 4.5.0, libwebp 1.2.4`.
    public static var libraryVersions: String { String(cString: aug_codec_versions()) }

    /// The format whose signature starts `bytes`, or `nil` when none matches.
    ///
    /// - PNG: `89 50 4E 47 0D 0A 1A 0A`
    /// - JPEG: `FF D8 FF`
    /// - TIFF: `II*\0` or `MM\0*` (classic) and `II+\0` / `MM\0+` (BigTIFF)
    /// - WebP: `RIFF`, four size bytes, `WEBP`
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        func starts(with signature: [UInt8]) -> Bool {
            bytes.count >= signature.count && zip(bytes, signature).allSatisfy { $0 == $1 }
        }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A])
            || starts(with: [0x49, 0x49, 0x2B, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2B]) {
            return .tiff
        }
        if starts(with: Array("RIFF".utf8)), bytes.count >= 12, Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return .webp
        }
        return nil
    }

    var codecFormat: Int32 {
        switch self {
        case .png: Int32(AUG_FORMAT_PNG.rawValue)
        case .jpeg: Int32(AUG_FORMAT_JPEG.rawValue)
        case .tiff: Int32(AUG_FORMAT_TIFF.rawValue)
        case .webp: Int32(AUG_FORMAT_WEBP.rawValue)
        }
    }
}
