/// How to decode an image.
///
/// ```swift
/// var options = DecodeOptions()
/// options.minimumSize = (224, 224)   // a 2000-px JPEG is decoded at 1/8 scale, a 400-px one at 5/8
/// let image = try Image.decode(contentsOf: "cat.jpg", options: options)
/// ```
public struct DecodeOptions: Sendable {
    /// Pillow's decompression-bomb limit (`Image.MAX_IMAGE_PIXELS`), 178,956,970 pixels.
    public static let defaultPixelLimit = 178_956_970

    /// JPEG only: the smallest acceptable output size. The decoder picks the
    /// strongest DCT-domain reduction M/8 (M = 1, 2 or 4, as Pillow's `draft`;
    /// libjpeg's output is `ceil(size · M / 8)`) whose output still covers both
    /// dimensions, else full size: libjpeg-turbo's other eighths run scalar
    /// IDCTs that cost more than its SIMD full-size path. `nil` decodes at full size. Other formats
    /// always decode at full size. The size is that of the upright image
    /// when `applyEXIFOrientation` is on.
    public var minimumSize: (width: Int, height: Int)?
    /// JPEG only: rotate/flip the pixels as the EXIF orientation tag says
    /// (as Pillow's `ImageOps.exif_transpose`). Default `true`.
    public var applyEXIFOrientation: Bool
    /// JPEG only: accept a file that ends early (the missing part is grey),
    /// as Pillow's `ImageFile.LOAD_TRUNCATED_IMAGES`. Default `false`: such
    /// a file throws `ImageError.Kind.truncated`.
    public var allowTruncated: Bool
    /// Refuse images whose stored width × height exceeds this, before any
    /// pixel memory is allocated. TIFF tiles and libtiff's own buffers are
    /// bounded by it too: a header claiming larger tiles is refused as `tooLarge`.
    public var pixelLimit: Int
    /// TIFF only: the zero-based page to decode. Default 0.
    public var page: Int
    /// JPEG only: decode just this rectangle (x, y, width, height) of the stored full-resolution
    /// image, at the DCT scale `minimumSize` picks: libjpeg-turbo's `jpeg_crop_scanline` and
    /// `jpeg_skip_scanlines`. Honoured when the image needs no EXIF rotation (orientation 1) and is
    /// not CMYK; ``Image/decodeRegion(_:options:)`` says which rectangle was decoded.
    public var crop: (x: Int, y: Int, width: Int, height: Int)?
    /// JPEG ``crop`` only: the decoder may return more columns than the crop, those libjpeg-turbo
    /// decodes around it anyway (the crop widened by 16 pixels on each side, then to whole
    /// iMCUs), written straight into the image instead of copied out row by row. Only the crop's
    /// pixels are then guaranteed to equal a full decode's (the extra columns next to a cropped
    /// edge may differ by a few levels). Default `false`.
    public var cropMayWiden = false
    /// PNG only: a palette image decodes to its indices (one channel, 1/2/4-bit indices
    /// unscaled) instead of RGB(A), as Pillow's mode `P`: class-index masks (Pascal VOC's).
    /// Default `false`.
    public var paletteIndices = false
    /// Convert the decoded pixels to this mode (`nil` keeps the file's own:
    /// gray, gray+alpha, RGB or RGBA). `Image.decode` only.
    public var colorMode: ColorMode?

    public init(minimumSize: (width: Int, height: Int)? = nil, applyEXIFOrientation: Bool = true,
                allowTruncated: Bool = false, pixelLimit: Int = DecodeOptions.defaultPixelLimit,
                page: Int = 0, colorMode: ColorMode? = nil) {
        self.minimumSize = minimumSize
        self.applyEXIFOrientation = applyEXIFOrientation
        self.allowTruncated = allowTruncated
        self.pixelLimit = pixelLimit
        self.page = page
        self.colorMode = colorMode
    }
}
