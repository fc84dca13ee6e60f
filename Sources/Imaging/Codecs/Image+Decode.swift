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
        var raster = try CodecDecoder.decode(bytes, path: path, options: options, as: UInt8.self)
        if options.applyEXIFOrientation, raster.orientation != 1 {
            raster = raster.reoriented()
        }
        let image = Image(unchecked: raster.width, raster.height, raster.channels, raster.samples)
        return options.colorMode.map { image.converted(to: $0) } ?? image
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
