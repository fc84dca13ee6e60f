/// A decoded image that keeps 16-bit samples (PNG and TIFF sources with 16
/// bits per sample). Same HWC layout as `Image`; 8-bit sources are widened
/// exactly (`v * 257`, so 255 becomes 65535). 16-bit TIFFs keep their
/// samples when stored contiguously as gray, gray+alpha, RGB or RGBA; other
/// layouts (planar, min-is-white, CMYK, ...) go through libtiff's 8-bit RGBA
/// reader and are widened like 8-bit sources.
///
/// ```swift
/// let deep = try Image16.decode(contentsOf: "scan16.png")
/// let preview = deep.image   // high byte of each sample
/// ```
public struct Image16: Sendable, Equatable {
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// Samples per pixel: 1, 2, 3 or 4.
    public let channels: Int
    /// `height * width * channels` samples in HWC order.
    public var pixels: [UInt16]

    /// Wraps `pixels`, checking that the sizes agree.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt16]) throws(ImageError) {
        guard width > 0, height > 0, (1...4).contains(channels), pixels.count == width * height * channels else {
            throw ImageError(.invalidArgument,
                             message: "\(pixels.count) samples do not make a \(width)x\(height)x\(channels) image")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// The sample at row `y`, column `x`, channel `c`.
    public subscript(y: Int, x: Int, c: Int) -> UInt16 {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }

    /// The 8-bit image made of each sample's high byte (`v >> 8`), the same
    /// reduction `Image.decode` applies to 16-bit files.
    public var image: Image {
        Image(unchecked: width, height, channels, pixels.map { UInt8($0 >> 8) })
    }

    /// Decodes the file at `path` keeping 16-bit samples (`options.colorMode`
    /// is ignored: the file's own channels are kept).
    public static func decode(contentsOf path: String, options: DecodeOptions = .init()) throws(ImageError) -> Image16 {
        let bytes = try FileBytes.read(path)
        return try decode(bytes, path: path, options: options)
    }

    /// Decodes in-memory file contents keeping 16-bit samples.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = .init()) throws(ImageError) -> Image16 {
        try decode(bytes, path: nil, options: options)
    }

    static func decode(_ bytes: [UInt8], path: String?, options: DecodeOptions) throws(ImageError) -> Image16 {
        try withBytes(bytes) { raw throws(ImageError) in
            // JPEG and WebP hold 8-bit samples only: decode those and widen them exactly.
            if let format = ImageFormat.sniff(raw), format == .jpeg || format == .webp {
                var eightBit = options
                eightBit.colorMode = nil
                let image = try Image.decode(raw: raw, path: path, options: eightBit)
                return Image16(width: image.width, height: image.height, channels: image.channels,
                               uncheckedPixels: image.pixels.map { UInt16($0) * 257 })
            }
            let raster = try CodecDecoder.decode(raw, path: path, options: options, as: UInt16.self)
            return Image16(width: raster.width, height: raster.height, channels: raster.channels,
                           uncheckedPixels: raster.samples)
        }
    }

    private init(width: Int, height: Int, channels: Int, uncheckedPixels: [UInt16]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = uncheckedPixels
    }
}
