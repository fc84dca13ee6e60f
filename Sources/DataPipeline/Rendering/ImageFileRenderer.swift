import Augmentation
import Imaging

/// The image pipeline of one sample: draw its `Transform` from
/// `(seed, epoch, index)`, read the file, decode it (JPEG with DCT scaling down
/// to the augmenter's ``Augmenter/minimumSourceSize(for:cropsToAspect:)``), convert its colour
/// mode, optionally crop it to the target's aspect ratio, then let the
/// `Augmenter` write Floats straight into the batch slot.
///
/// ```swift
/// let folder = try ImageFolder(directory: "data/train")
/// let renderer = try ImageFileRenderer(source: folder, config: config, height: 224, width: 224, seed: 42)
/// let loader = try DataLoader(source: folder, renderer: renderer, options: LoaderOptions(seed: 42))
/// ```
///
/// Errors are `ImageError`s naming the file (unreadable, corrupt, or a
/// whitelisted format Augment does not decode such as BMP or PPM); the
/// loader's `BadFilePolicy` decides what they do.
public struct ImageFileRenderer: SampleRenderer {
    public let source: any ImageFileSource
    public let augmenter: Augmenter
    public let sampler: TransformSampler
    public let colorMode: ColorMode
    public let keepAspectRatio: Bool
    public let decodeOptions: DecodeOptions
    /// Stage times, when measuring.
    public let timings: StageTimings?
    public let sampleShape: [Int]

    /// - Parameters:
    ///   - height, width: the output size (Keras's `target_size`).
    ///   - colorMode: `.grayscale`, `.rgb` or `.rgba` (Keras's `color_mode`).
    ///   - seed: keys the transforms; use the loader's seed.
    ///   - layout, mode, standardizer: passed to the `Augmenter`.
    /// - Throws: `AugmentationError` for an invalid config or size.
    public init(source: any ImageFileSource, config: AugmentationConfig, height: Int, width: Int,
                colorMode: ColorMode = .rgb, keepAspectRatio: Bool = false, seed: UInt64,
                layout: PixelLayout = .hwc, mode: GeometryMode = .exact, standardizer: Standardizer? = nil,
                decodeOptions: DecodeOptions = DecodeOptions(), timings: StageTimings? = nil)
        throws(AugmentationError) {
        self.source = source
        self.augmenter = try Augmenter(config: config, outputHeight: height, outputWidth: width,
                                       layout: layout, mode: mode, standardizer: standardizer)
        self.sampler = TransformSampler(config: config, seed: seed, mode: mode)
        self.colorMode = colorMode
        self.keepAspectRatio = keepAspectRatio
        self.decodeOptions = decodeOptions
        self.timings = timings
        let channels = colorMode.channels
        self.sampleShape = layout == .hwc ? [height, width, channels] : [channels, height, width]
    }

    /// The decoded, converted and cropped image of sample `index` in `epoch`, before
    /// augmentation (decoded at the size its transform needs).
    public func image(of index: Int, epoch: Int = 0) throws(ImageError) -> Image {
        let path = source.path(of: index)
        return try prepare(FileBytes.read(path), path: path, transform: transform(of: index, epoch: epoch))
    }

    private func transform(of index: Int, epoch: Int) -> Transform {
        sampler.transform(epoch: epoch, index: index, height: augmenter.outputHeight, width: augmenter.outputWidth)
    }

    /// Sample `index` of `epoch` from the renderer's source: ``render(path:index:epoch:into:)``
    /// with the source's path for `index`.
    public func render(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws {
        try render(path: source.path(of: index), index: index, epoch: epoch, into: slot)
    }

    /// The one render function of an image file: draws the transform of (`epoch`, `index`) for the
    /// output size, reads `path`, decodes it at the size the transform needs, converts and crops
    /// it, and warps it into `slot`. The loader, `augment preview`, `SavingRenderer` and the
    /// standardiser's fit all come through here, so what a preview shows is what trains.
    /// - Complexity: O(file size + output pixels); one file read, one decode
    ///   (at the smallest DCT scale the transform needs for JPEGs), no intermediate image
    ///   unless a colour conversion or crop is needed.
    public func render(path: String, index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws {
        let start = StageTimings.now()
        let transform = transform(of: index, epoch: epoch)
        let bytes = try FileBytes.read(path)
        let read = StageTimings.now()
        let image = try prepare(bytes, path: path, transform: transform)
        let decoded = StageTimings.now()
        augmenter.render(image, transform: transform, into: slot)
        timings?.add(read: read - start, decode: decoded - read, warp: StageTimings.now() - decoded)
    }

    /// ``render(path:index:epoch:into:)`` into a new array of `sampleShape` Floats.
    public func render(path: String, index: Int, epoch: Int) throws -> [Float] {
        var values = [Float](repeating: 0, count: sampleShape.reduce(1, *))
        try values.withUnsafeMutableBufferPointer { try render(path: path, index: index, epoch: epoch, into: $0) }
        return values
    }

    private func prepare(_ bytes: [UInt8], path: String, transform: Transform) throws(ImageError) -> Image {
        var image: Image
        var options = decodeOptions
        options.minimumSize = augmenter.minimumSourceSize(for: transform, cropsToAspect: keepAspectRatio)
        do {
            image = try Image.decode(bytes, options: options)
        } catch {
            var named = error
            named.path = path
            throw named
        }
        if image.channels != colorMode.channels { image = image.converted(to: colorMode) }
        if keepAspectRatio {
            image = CenterCrop.crop(image, toAspectWidth: augmenter.outputWidth, height: augmenter.outputHeight)
        }
        return image
    }
}
