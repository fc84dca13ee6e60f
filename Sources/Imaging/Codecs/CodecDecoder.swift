import CImageCodecs

/// The two-phase bridge to `CImageCodecs`: open (header only), check limits,
/// allocate the final array, decode straight into it, close.
enum CodecDecoder {
    /// A decoded raster before EXIF orientation.
    struct Raster<Sample> {
        var width: Int
        var height: Int
        var channels: Int
        var samples: [Sample]
        var format: ImageFormat
        var orientation: Int
        /// Where the pixels sit in the whole image at the decoded scale (a crop's window).
        var regionX = 0, regionY = 0
        var fullWidth = 0, fullHeight = 0
    }

    /// Decodes `bytes`; `Sample` is `UInt8` or `UInt16` (16-bit output).
    static func decode<Sample: FixedWidthInteger & UnsignedInteger>(
        _ bytes: UnsafeRawBufferPointer, path: String?, options: DecodeOptions, as: Sample.Type
    ) throws(ImageError) -> Raster<Sample> {
        let format = try sniff(bytes, path: path)
        var info = aug_image_info()
        var result = aug_result()
        var codecOptions = try makeOptions(options, path: path, want16: Sample.bitWidth == 16)
        guard let decoder = aug_decoder_open(format.codecFormat, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                             bytes.count, &codecOptions, &info, &result) else {
            throw error(from: result, path: path, format: format)
        }
        defer { aug_decoder_close(decoder) }
        try checkLimit(info, options: options, path: path, format: format)
        let count = Int(info.width) * Int(info.height) * Int(info.channels)
        var status: Int32 = 0
        let samples = [Sample](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = aug_decoder_read(decoder, buffer.baseAddress, count * MemoryLayout<Sample>.size, &result)
            initialized = status == 0 ? count : 0
        }
        guard status == 0 else { throw error(from: result, path: path, format: format) }
        return Raster(width: Int(info.width), height: Int(info.height), channels: Int(info.channels),
                      samples: samples, format: format, orientation: Int(info.orientation),
                      regionX: Int(info.region_x), regionY: Int(info.region_y),
                      fullWidth: Int(info.full_width), fullHeight: Int(info.full_height))
    }

    /// Reads the header only.
    static func probe(_ bytes: UnsafeRawBufferPointer, path: String?, page: Int = 0) throws(ImageError) -> ImageInfo {
        let format = try sniff(bytes, path: path)
        var info = aug_image_info()
        var result = aug_result()
        var codecOptions = aug_decode_options()
        codecOptions.page = Int32(clamping: page)
        guard let decoder = aug_decoder_open(format.codecFormat, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                             bytes.count, &codecOptions, &info, &result) else {
            throw error(from: result, path: path, format: format)
        }
        aug_decoder_close(decoder)
        return ImageInfo(format: format, width: Int(info.source_width), height: Int(info.source_height),
                         channels: Int(info.channels), bitDepth: Int(info.bit_depth),
                         pageCount: Int(info.page_count), orientation: Int(info.orientation))
    }

    static func sniff(_ bytes: UnsafeRawBufferPointer, path: String?) throws(ImageError) -> ImageFormat {
        guard !bytes.isEmpty else { throw ImageError(.emptyFile, path: path, message: "no data") }
        guard let format = ImageFormat.sniff(bytes) else {
            let head = bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " ")
            throw ImageError(.unsupportedFormat, path: path,
                             message: "not a PNG, JPEG, TIFF or WebP signature (first bytes: \(head))")
        }
        return format
    }

    private static func makeOptions(_ options: DecodeOptions, path: String?, want16: Bool) throws(ImageError) -> aug_decode_options {
        var codec = aug_decode_options()
        if let size = options.minimumSize {
            guard size.width >= 0, size.height >= 0 else {
                throw ImageError(.invalidArgument, path: path, message: "minimumSize must be non-negative, got \(size)")
            }
            codec.min_width = UInt32(clamping: size.width)
            codec.min_height = UInt32(clamping: size.height)
            codec.min_size_is_upright = options.applyEXIFOrientation ? 1 : 0
        }
        guard options.page >= 0 else {
            throw ImageError(.invalidArgument, path: path, message: "page must be non-negative, got \(options.page)")
        }
        if let crop = options.crop {
            guard crop.x >= 0, crop.y >= 0, crop.width > 0, crop.height > 0 else {
                throw ImageError(.invalidArgument, path: path, message: "crop must be non-negative and non-empty, got \(crop)")
            }
            codec.crop_x0 = UInt32(clamping: crop.x)
            codec.crop_y0 = UInt32(clamping: crop.y)
            codec.crop_x1 = UInt32(clamping: crop.x + crop.width)
            codec.crop_y1 = UInt32(clamping: crop.y + crop.height)
            codec.crop_may_widen = options.cropMayWiden ? 1 : 0
        }
        codec.allow_truncated = options.allowTruncated ? 1 : 0
        codec.want_16bit = want16 ? 1 : 0
        codec.palette_indices = options.paletteIndices ? 1 : 0
        codec.page = Int32(clamping: options.page)
        codec.pixel_limit = UInt64(clamping: options.pixelLimit)
        return codec
    }

    private static func checkLimit(_ info: aug_image_info, options: DecodeOptions, path: String?,
                                   format: ImageFormat) throws(ImageError) {
        let width = Int(info.source_width), height = Int(info.source_height)
        guard width > 0, height > 0 else {
            throw ImageError(.corrupt, path: path, format: format.rawValue, message: "image has size \(width)x\(height)")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= options.pixelLimit else {
            throw ImageError(.tooLarge, path: path, format: format.rawValue,
                             message: "\(width)x\(height) exceeds the limit of \(options.pixelLimit) pixels")
        }
    }

    static func error(from result: aug_result, path: String?, format: ImageFormat) -> ImageError {
        let message = withUnsafeBytes(of: result.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let kind: ImageError.Kind = switch result.code {
        case Int32(AUG_TRUNCATED.rawValue): .truncated
        case Int32(AUG_UNSUPPORTED.rawValue): .unsupportedFormat
        case Int32(AUG_TOO_LARGE.rawValue), Int32(AUG_NO_MEMORY.rawValue): .tooLarge
        case Int32(AUG_INVALID_ARGUMENT.rawValue): .invalidArgument
        default: .corrupt
        }
        return ImageError(kind, path: path, format: format.rawValue, message: message)
    }
}
