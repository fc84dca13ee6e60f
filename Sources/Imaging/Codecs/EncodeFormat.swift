/// An output format with its encoder setting.
public enum EncodeFormat: Sendable, Equatable {
    /// Lossless PNG; `compressionLevel` 0 (none, fastest) ... 9 (smallest).
    case png(compressionLevel: Int = 6)
    /// Baseline JPEG; `quality` 1 ... 100 (Pillow's default is 75). Needs 1 or 3 channels.
    case jpeg(quality: Int = 90)
    /// WebP through libwebp: lossy at `quality` 0 ... 100, or `lossless` (quality then unused).
    /// Grey images are written as RGB and grey+alpha as RGBA (WebP stores colour only).
    case webp(quality: Int = 90, lossless: Bool = false)

    /// The file name extension for this format, without the dot: `png`, `jpg` or `webp`.
    public var fileNameExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        }
    }
}
