extension Image {
    /// Decodes the PNG, JPEG, TIFF or WebP file at `path` (format sniffed from its bytes).
    ///
    /// Sources with 16-bit samples are reduced to 8 bits by keeping the high
    /// byte (`v >> 8`), as Pillow's `;16B` unpackers do; use `Image16.decode`
    /// to keep all 16 bits.
    ///
    /// ```swift
    /// let image = try Image.decode(contentsOf: "samples/photos/cats/cat.jpg",
    ///                              options: DecodeOptions(minimumSize: (224, 224)))
    /// ```
    /// - Throws: `ImageError` naming `path`, the format and the codec's message.
    /// - Complexity: O(width × height); the file is read once into memory and
    ///   decoded straight into the image's pixel array.
    public static func decode(contentsOf path: String, options: DecodeOptions = .init()) throws(ImageError) -> Image {
        let bytes = try FileBytes.read(path)
        return try decode(bytes, path: path, options: options)
    }

    /// Decodes in-memory file contents.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = .init()) throws(ImageError) -> Image {
        try decode(bytes, path: nil, options: options)
    }

    /// Decodes in-memory file contents without copying them.
    public static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions = .init()) throws(ImageError) -> Image {
        try decode(raw: bytes, path: nil, options: options)
    }

    static func decode(_ bytes: [UInt8], path: String?, options: DecodeOptions) throws(ImageError) -> Image {
        try withBytes(bytes) { raw throws(ImageError) in try decode(raw: raw, path: path, options: options) }
    }

    static func decode(raw bytes: UnsafeRawBufferPointer, path: String?, options: DecodeOptions) throws(ImageError) -> Image {
        try decodeRegion(raw: bytes, path: path, options: options).image
    }

    /// Decodes `bytes` with `options.crop` honoured where the decoder can (see ``DecodeOptions/crop``):
    /// the image and where it sits in the whole image at the decoded scale.
    public static func decodeRegion(_ bytes: [UInt8], options: DecodeOptions) throws(ImageError) -> DecodedRegion {
        try withBytes(bytes) { raw throws(ImageError) in try decodeRegion(raw: raw, path: nil, options: options) }
    }

    static func decodeRegion(raw bytes: UnsafeRawBufferPointer, path: String?,
                             options: DecodeOptions) throws(ImageError) -> DecodedRegion {
        var raster = try CodecDecoder.decode(bytes, path: path, options: options, as: UInt8.self)
        if options.applyEXIFOrientation, raster.orientation != 1 {
            raster = raster.reoriented()
            (raster.fullWidth, raster.fullHeight) = (raster.width, raster.height)
        }
        var image = Image(unchecked: raster.width, raster.height, raster.channels, raster.samples)
        if let mode = options.colorMode { image = image.converted(to: mode) }
        return DecodedRegion(image: image, x: raster.regionX, y: raster.regionY,
                             fullWidth: raster.fullWidth, fullHeight: raster.fullHeight)
    }

    /// Wraps already-validated geometry and samples.
    init(unchecked width: Int, _ height: Int, _ channels: Int, _ pixels: [UInt8]) {
        self.init(width: width, height: height, channels: channels, uncheckedPixels: pixels)
    }
}

/// Runs `body` on the bytes of `array`, keeping the typed error.
func withBytes<R>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ImageError) -> R) throws(ImageError) -> R {
    var outcome: Result<R, ImageError>!
    array.withUnsafeBytes { raw in
        outcome = Result { () throws(ImageError) -> R in try body(raw) }
    }
    return try outcome.get()
}

/// A decoded image that may be a window of the whole (``DecodeOptions/crop``): its pixels sit at
/// (`x`, `y`) in a `fullWidth × fullHeight` image (the whole image at the decoded scale).
public struct DecodedRegion: Sendable {
    public var image: Image
    public var x: Int
    public var y: Int
    public var fullWidth: Int
    public var fullHeight: Int

    public init(image: Image, x: Int, y: Int, fullWidth: Int, fullHeight: Int) {
        self.image = image
        self.x = x
        self.y = y
        self.fullWidth = fullWidth
        self.fullHeight = fullHeight
    }
}
