import CImageCodecs

/// The samples of an image file inside a window, as stored (no EXIF orientation): what a
/// class-index mask needs once the transform that reads it is known.
///
/// An 8- or 16-bit gray PNG, or an 8-bit palette PNG (its indices), not interlaced, is
/// inflated whole (so a damaged file fails whatever the window) but unfiltered only down to
/// the window's last row and across to its last column, and only the window is kept. Any other
/// file, and any PNG that path does not take or finds damaged, is decoded whole (16-bit files
/// keeping 16 bits, palette PNGs as indices: ``DecodeOptions/paletteIndices``) and cropped, so
/// the samples and the errors are those of a whole decode.
///
/// ```swift
/// let part = try SampleWindow.decode(bytes, window: (x: 40, y: 10, width: 100, height: 80))
/// print(part.width, part.height, part[45, 12])   // the whole image's size; a sample
/// ```
public struct SampleWindow: Sendable, Equatable {
    /// The whole image's stored width.
    public let width: Int
    /// The whole image's stored height.
    public let height: Int
    /// Samples per pixel (1 for a gray or palette-index image).
    public let channels: Int
    /// Bits per sample in the file.
    public let bitDepth: Int
    /// The window decoded: the requested one clipped to the image.
    public let x: Int, y: Int, windowWidth: Int, windowHeight: Int
    /// `windowHeight × windowWidth × channels` samples, row-major, HWC.
    public let samples: [UInt16]

    /// The sample at column `column`, row `row` (whole-image coordinates, inside the window) of `channel`.
    public subscript(column: Int, row: Int, channel: Int = 0) -> UInt16 {
        samples[((row - y) * windowWidth + column - x) * channels + channel]
    }

    /// Decodes the samples of `bytes` inside `window` (whole-image coordinates; `nil`: all of it).
    /// - Throws: ``ImageError`` as a whole decode of the file would (`options.pixelLimit` holds), or
    ///   `.invalidArgument` for a window of negative size or origin.
    public static func decode(_ bytes: [UInt8], window: (x: Int, y: Int, width: Int, height: Int)? = nil,
                              options: DecodeOptions = DecodeOptions()) throws(ImageError) -> SampleWindow {
        try decode(bytes, path: nil, window: window, options: options)
    }

    /// ``decode(_:window:options:)`` of the file at `path` (errors name it).
    public static func decode(contentsOf path: String, window: (x: Int, y: Int, width: Int, height: Int)? = nil,
                              options: DecodeOptions = DecodeOptions()) throws(ImageError) -> SampleWindow {
        try decode(try FileBytes.read(path), path: path, window: window, options: options)
    }

    static func decode(_ bytes: [UInt8], path: String?, window: (x: Int, y: Int, width: Int, height: Int)?,
                       options: DecodeOptions) throws(ImageError) -> SampleWindow {
        if let window, window.x < 0 || window.y < 0 || window.width < 0 || window.height < 0 {
            throw ImageError(.invalidArgument, path: path, message: "a window needs a non-negative origin and size, got \(window)")
        }
        let bounds = window.map { (x0: $0.x, y0: $0.y, x1: $0.x + $0.width, y1: $0.y + $0.height) }
            ?? (0, 0, Int(UInt32.max), Int(UInt32.max))
        if let fast = windowOfPlainPNG(bytes, bounds: bounds, options: options) { return fast }
        return try cropped(wholeDecode(bytes, path: path, options: options), to: bounds)
    }

    /// The libdeflate path (`aug_png_sample_window`), or `nil` when it does not take the file.
    static func windowOfPlainPNG(_ bytes: [UInt8], bounds: (x0: Int, y0: Int, x1: Int, y1: Int),
                                         options: DecodeOptions) -> SampleWindow? {
        guard bytes.count > 24, bytes[0] == 0x89, bytes[1] == 0x50 else { return nil }
        // The window is clipped to the image: its size bounds the samples.
        let width = Int(bytes[16]) << 24 | Int(bytes[17]) << 16 | Int(bytes[18]) << 8 | Int(bytes[19])
        let height = Int(bytes[20]) << 24 | Int(bytes[21]) << 16 | Int(bytes[22]) << 8 | Int(bytes[23])
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).partialValue <= options.pixelLimit,
              width <= Int(Int32.max), height <= Int(Int32.max) else { return nil }
        let columns = max(0, min(bounds.x1, width) - min(bounds.x0, width))
        let rows = max(0, min(bounds.y1, height) - min(bounds.y0, height))
        let (clamp0, clamp1) = (UInt32(clamping: bounds.x0), UInt32(clamping: bounds.x1))
        let (row0, row1) = (UInt32(clamping: bounds.y0), UInt32(clamping: bounds.y1))
        var info = aug_sample_window()
        var status: Int32 = -1
        let samples = [UInt16](unsafeUninitializedCapacity: columns * rows) { buffer, initialized in
            status = bytes.withUnsafeBufferPointer { raw in
                aug_png_sample_window(raw.baseAddress, raw.count, UInt64(clamping: options.pixelLimit),
                                      clamp0, row0, clamp1, row1, buffer.baseAddress, buffer.count, &info)
            }
            initialized = status == 0 ? columns * rows : 0
        }
        guard status == 0, Int(info.x1 - info.x0) == columns, Int(info.y1 - info.y0) == rows else { return nil }
        return SampleWindow(width: Int(info.width), height: Int(info.height), channels: 1, bitDepth: Int(info.bit_depth),
                            x: Int(info.x0), y: Int(info.y0), windowWidth: columns, windowHeight: rows, samples: samples)
    }

    /// Nearest samples of `bytes` on a grid, straight from the decoded rows: pixel `(x, y)` of the
    /// `columns.count × rows.count` result takes the sample at column `columns[x]`, row `rows[y]`
    /// when both are ≥ 0, else `fill` (what nearest sampling by a warp that keeps the axes reads).
    /// For the PNGs of the window path only: `nil` for any other file, a damaged one, or a table
    /// past the image (decode a window then, which gives the samples or the error).
    /// - Returns: the whole image's stored size and the grid's samples, row-major.
    public static func grid(_ bytes: [UInt8], columns: [Int32], rows: [Int32], fill: UInt16,
                            options: DecodeOptions = DecodeOptions()) -> (width: Int, height: Int, samples: [UInt16])? {
        guard !columns.isEmpty, !rows.isEmpty, bytes.count > 24, bytes[0] == 0x89, bytes[1] == 0x50 else { return nil }
        var info = aug_sample_window()
        var status: Int32 = -1
        let count = columns.count * rows.count
        let samples = [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = bytes.withUnsafeBufferPointer { raw in
                columns.withUnsafeBufferPointer { columns in
                    rows.withUnsafeBufferPointer { rows in
                        aug_png_sample_grid(raw.baseAddress, raw.count, UInt64(clamping: options.pixelLimit),
                                            columns.baseAddress, UInt32(columns.count), rows.baseAddress, UInt32(rows.count),
                                            fill, buffer.baseAddress, &info)
                    }
                }
            }
            initialized = status == 0 ? count : 0
        }
        guard status == 0 else { return nil }
        return (Int(info.width), Int(info.height), samples)
    }

    /// The whole file through its codec: 16 bits kept for 16-bit files, palette PNGs as indices.
    private static func wholeDecode(_ bytes: [UInt8], path: String?, options: DecodeOptions) throws(ImageError) -> SampleWindow {
        var options = options
        options.applyEXIFOrientation = false
        options.paletteIndices = true
        options.colorMode = nil
        let info = try withBytes(bytes) { raw throws(ImageError) in try CodecDecoder.probe(raw, path: path, page: options.page) }
        let (width, height, channels, samples): (Int, Int, Int, [UInt16])
        if info.bitDepth == 16 {
            let image = try Image16.decode(bytes, path: path, options: options)
            (width, height, channels, samples) = (image.width, image.height, image.channels, image.pixels)
        } else {
            let image = try withBytes(bytes) { raw throws(ImageError) in try Image.decode(raw: raw, path: path, options: options) }
            (width, height, channels, samples) = (image.width, image.height, image.channels, image.pixels.map(UInt16.init))
        }
        return SampleWindow(width: width, height: height, channels: channels, bitDepth: info.bitDepth,
                            x: 0, y: 0, windowWidth: width, windowHeight: height, samples: samples)
    }

    private static func cropped(_ whole: SampleWindow, to bounds: (x0: Int, y0: Int, x1: Int, y1: Int)) -> SampleWindow {
        let x0 = min(bounds.x0, whole.width), x1 = max(x0, min(bounds.x1, whole.width))
        let y0 = min(bounds.y0, whole.height), y1 = max(y0, min(bounds.y1, whole.height))
        guard x1 - x0 != whole.width || y1 - y0 != whole.height else { return whole }
        let c = whole.channels
        var samples = [UInt16]()
        samples.reserveCapacity((x1 - x0) * (y1 - y0) * c)
        for row in y0..<y1 {
            samples.append(contentsOf: whole.samples[(row * whole.width + x0) * c ..< (row * whole.width + x1) * c])
        }
        return SampleWindow(width: whole.width, height: whole.height, channels: c, bitDepth: whole.bitDepth,
                            x: x0, y: y0, windowWidth: x1 - x0, windowHeight: y1 - y0, samples: samples)
    }
}
