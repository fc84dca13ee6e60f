/// An output format with its encoder setting.
public enum EncodeFormat: Sendable, Equatable {
    /// Lossless PNG; `compressionLevel` 0 (none, fastest) ... 9 (smallest).
    case png(compressionLevel: Int = 6)
    /// Baseline JPEG; `quality` 1 ... 100 (Pillow's default is 75). Needs 1 or 3 channels.
    case jpeg(quality: Int = 90)
}
