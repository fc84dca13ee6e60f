/// A pixel layout `Image.converted(to:)` produces.
public enum ColorMode: String, Sendable, Equatable, CaseIterable {
    /// One channel: ITU-R 601-2 luma, exactly as Pillow's `convert("L")`.
    case grayscale
    /// Luma plus alpha (Pillow "LA").
    case grayscaleAlpha
    /// Three channels; gray is replicated.
    case rgb
    /// Four channels; alpha is 255 where the source has none.
    case rgba

    /// Channels of an image in this mode.
    public var channels: Int {
        switch self {
        case .grayscale: 1
        case .grayscaleAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }

    /// The mode of an image with `channels` channels (1...4).
    public init?(channels: Int) {
        switch channels {
        case 1: self = .grayscale
        case 2: self = .grayscaleAlpha
        case 3: self = .rgb
        case 4: self = .rgba
        default: return nil
        }
    }
}
