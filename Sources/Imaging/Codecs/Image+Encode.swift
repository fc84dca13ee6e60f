import CImageCodecs

extension Image {
    /// The image encoded as a PNG, JPEG or WebP file's bytes.
    ///
    /// ```swift
    /// let bytes = try image.encoded(as: .jpeg(quality: 95))
    /// ```
    /// - Throws: `ImageError.Kind.invalidArgument` for an out-of-range setting
    ///   or a JPEG of 2 or 4 channels (convert to `.rgb` or `.grayscale` first),
    ///   or a WebP side over 16383 pixels.
    public func encoded(as format: EncodeFormat) throws(ImageError) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var result = aug_result()
        let status: Int32
        let name: ImageFormat
        switch format {
        case .png(let level):
            guard (0...9).contains(level) else {
                throw ImageError(.invalidArgument, format: "png", message: "compression level \(level) is outside 0...9")
            }
            name = .png
            status = pixels.withUnsafeBufferPointer {
                aug_png_encode($0.baseAddress, UInt32(width), UInt32(height), Int32(channels), Int32(level),
                               &output, &size, &result)
            }
        case .jpeg(let quality):
            guard (1...100).contains(quality) else {
                throw ImageError(.invalidArgument, format: "jpeg", message: "quality \(quality) is outside 1...100")
            }
            guard channels == 1 || channels == 3 else {
                throw ImageError(.invalidArgument, format: "jpeg",
                                 message: "JPEG stores 1 or 3 channels, this image has \(channels); convert it first")
            }
            name = .jpeg
            status = pixels.withUnsafeBufferPointer {
                aug_jpeg_encode($0.baseAddress, UInt32(width), UInt32(height), Int32(channels), Int32(quality),
                                &output, &size, &result)
            }
        case .webp(let quality, let lossless):
            guard (0...100).contains(quality) else {
                throw ImageError(.invalidArgument, format: "webp", message: "quality \(quality) is outside 0...100")
            }
            return try webpEncoded(quality: quality, lossless: lossless)
        }
        guard status == 0, let output else { throw CodecDecoder.error(from: result, path: nil, format: name) }
        defer { aug_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    /// WebP bytes; grey (+alpha) is expanded to RGB(A) first, as WebP stores colour only.
    private func webpEncoded(quality: Int, lossless: Bool) throws(ImageError) -> [UInt8] {
        let colour = switch channels {
        case 1: converted(to: .rgb)
        case 2: converted(to: .rgba)
        default: self
        }
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var result = aug_result()
        let status = colour.pixels.withUnsafeBufferPointer {
            aug_webp_encode($0.baseAddress, UInt32(colour.width), UInt32(colour.height), Int32(colour.channels),
                            Int32(quality), lossless ? 1 : 0, &output, &size, &result)
        }
        guard status == 0, let output else { throw CodecDecoder.error(from: result, path: nil, format: .webp) }
        defer { aug_webp_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }

    /// Encodes the image and writes it to `path`, replacing any file there.
    public func write(to path: String, as format: EncodeFormat) throws(ImageError) {
        var bytes: [UInt8]
        do { bytes = try encoded(as: format) } catch { throw ImageError(error.kind, path: path, format: error.format, message: error.message) }
        try FileBytes.write(bytes, to: path)
    }
}
