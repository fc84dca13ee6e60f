/// A decoded raster image: 8-bit samples, row-major, channels interleaved (HWC).
///
/// `channels` is 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA). The sample for
/// row `y`, column `x`, channel `c` is `pixels[(y * width + x) * channels + c]`.
///
/// ```swift
/// let image = try Image(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 0, 0, 255])
/// image[0, 1, 2] // 255: the blue of the second pixel
/// ```
public struct Image: Sendable, Equatable {
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// Samples per pixel: 1, 2, 3 or 4.
    public let channels: Int
    /// `height * width * channels` samples in HWC order.
    public var pixels: [UInt8]

    /// Wraps `pixels` as an image, checking that the sizes agree.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws(ImageError) {
        guard width > 0, height > 0, (1...4).contains(channels) else {
            throw ImageError(.invalidArgument,
                             message: "invalid image geometry \(width)x\(height)x\(channels)")
        }
        guard pixels.count == width * height * channels else {
            throw ImageError(.invalidArgument,
                             message: "pixel count \(pixels.count) does not match \(width)x\(height)x\(channels)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A zero-filled image; the geometry must be valid.
    public init(width: Int, height: Int, channels: Int) {
        precondition(width > 0 && height > 0 && (1...4).contains(channels), "invalid image geometry")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = [UInt8](repeating: 0, count: width * height * channels)
    }

    /// Wraps samples whose geometry the caller has already validated.
    init(width: Int, height: Int, channels: Int, uncheckedPixels: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = uncheckedPixels
    }

    /// The sample at row `y`, column `x`, channel `c`.
    public subscript(y: Int, x: Int, c: Int) -> UInt8 {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }
}
