import Augmentation
import Imaging

/// The image pipeline of one sample: draw its transform from `(seed, epoch, index)`, read the
/// file, decode it (JPEG with DCT scaling down to the size the transform needs), convert its
/// colour mode, then warp it straight into the batch slot. Two kinds of augmentation:
///
/// - Keras's `ImageDataGenerator` (an `AugmentationConfig`): the `Transform` is drawn for the
///   output size, the `Augmenter` renders it (`geometry: keras` for bit-exact Keras parity), and
///   `keepAspectRatio` crops the decoded image to the target's aspect first.
/// - An op recipe (`OpRecipe`, torchvision's transforms): the file's header is read first, the
///   `SampleTransform` is drawn for the upright source size, a JPEG is decoded only inside the
///   transform's crop window (libjpeg-turbo's crop and skip scanlines), and `TransformKernel`
///   renders it.
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
public struct ImageFileRenderer: AnnotatingRenderer {
    /// The augmentation a renderer runs.
    public enum Recipe: Sendable {
        /// Keras's `ImageDataGenerator`: the kernel and the sampler of one config.
        case keras(Augmenter, TransformSampler)
        /// torchvision-style ops.
        case ops(OpRecipe)
    }

    public let source: any ImageFileSource
    public let recipe: Recipe
    public let colorMode: ColorMode
    public let keepAspectRatio: Bool
    public let layout: PixelLayout
    public let decodeOptions: DecodeOptions
    /// Stage times, when measuring.
    public let timings: StageTimings?
    public let sampleShape: [Int]
    /// How targets travel, when the source has them (``AnnotatedSource``).
    public var targetOptions = TargetOptions()
    /// How a batch's targets are stacked, when the source has them.
    public var collator = AnnotationCollator()

    /// A renderer of Keras's `ImageDataGenerator` config.
    /// - Parameters:
    ///   - source: the image files and their targets.
    ///   - config: Keras's `ImageDataGenerator` arguments.
    ///   - height: the output height (Keras's `target_size`).
    ///   - width: the output width.
    ///   - colorMode: `.grayscale`, `.rgb` or `.rgba` (Keras's `color_mode`).
    ///   - keepAspectRatio: crop the source's centre to the output's aspect ratio
    ///     before resizing (Keras's `keep_aspect_ratio`).
    ///   - seed: keys the transforms; use the loader's seed.
    ///   - layout: the slot's pixel order (HWC or CHW), passed to the `Augmenter`.
    ///   - mode: exact or Keras-identical geometry, passed to the `Augmenter`.
    ///   - standardizer: feature-wise centring and scaling, when fitted.
    ///   - decodeOptions: limits and the reduced-scale JPEG decode.
    ///   - timings: collects the time per stage, when measuring.
    /// - Throws: `AugmentationError` for an invalid config or size.
    public init(source: any ImageFileSource, config: AugmentationConfig, height: Int, width: Int,
                colorMode: ColorMode = .rgb, keepAspectRatio: Bool = false, seed: UInt64,
                layout: PixelLayout = .hwc, mode: GeometryMode = .exact, standardizer: Standardizer? = nil,
                decodeOptions: DecodeOptions = DecodeOptions(), timings: StageTimings? = nil)
        throws(AugmentationError) {
        let augmenter = try Augmenter(config: config, outputHeight: height, outputWidth: width,
                                      layout: layout, mode: mode, standardizer: standardizer)
        if mode == .keras, source is any AnnotatedSource {
            throw AugmentationError(parameter: "geometry", value: "keras",
                                    reason: "reproduces ImageDataGenerator, which moves no masks, boxes or keypoints: use geometry: exact with targets")
        }
        self.init(source: source, recipe: .keras(augmenter, TransformSampler(config: config, seed: seed, mode: mode)),
                  height: height, width: width, colorMode: colorMode, keepAspectRatio: keepAspectRatio, layout: layout,
                  decodeOptions: decodeOptions, timings: timings)
    }

    /// A renderer of an op recipe (its output size and seed are the recipe's).
    /// - Throws: `AugmentationError` when the recipe cannot take images of `colorMode`, or
    ///   holds `aug_mix` while the source has targets.
    public init(source: any ImageFileSource, recipe: OpRecipe, colorMode: ColorMode = .rgb, layout: PixelLayout = .hwc,
                decodeOptions: DecodeOptions = DecodeOptions(), timings: StageTimings? = nil) throws(AugmentationError) {
        try recipe.validate(channels: colorMode.channels)
        if source is any AnnotatedSource, let op = recipe.ops.first(where: { !$0.carriesTargets }) {
            throw AugmentationError(parameter: "ops", value: op.name,
                                    reason: "blends chains of different geometry into one image, so masks, boxes and keypoints cannot follow")
        }
        self.init(source: source, recipe: .ops(recipe), height: recipe.outputHeight, width: recipe.outputWidth,
                  colorMode: colorMode, keepAspectRatio: false, layout: layout, decodeOptions: decodeOptions,
                  timings: timings)
    }

    private init(source: any ImageFileSource, recipe: Recipe, height: Int, width: Int, colorMode: ColorMode,
                 keepAspectRatio: Bool, layout: PixelLayout, decodeOptions: DecodeOptions, timings: StageTimings?) {
        self.source = source
        self.recipe = recipe
        self.colorMode = colorMode
        self.keepAspectRatio = keepAspectRatio
        self.layout = layout
        self.decodeOptions = decodeOptions
        self.timings = timings
        let channels = colorMode.channels
        self.sampleShape = layout == .hwc ? [height, width, channels] : [channels, height, width]
    }

    /// Sample `index` of `epoch` from the renderer's source: ``render(path:index:epoch:into:)``
    /// with the source's path for `index`.
    public func render(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws {
        try render(path: source.path(of: index), index: index, epoch: epoch, into: slot)
    }

    /// The one render function of an image file: draws the transform of (`epoch`, `index`),
    /// reads `path`, decodes it at the size the transform needs, converts (and for Keras configs
    /// crops) it, and warps it into `slot`. The loader, `augment preview`, `SavingRenderer` and
    /// the standardiser's fit all come through here, so what a preview shows is what trains.
    /// - Complexity: O(file size + output pixels); one file read, one decode
    ///   (at the smallest DCT scale the transform needs for JPEGs), no intermediate image
    ///   unless a colour conversion or crop is needed.
    public func render(path: String, index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws {
        _ = try renderReporting(path: path, index: index, epoch: epoch, into: slot)
    }

    /// ``render(sample:epoch:into:)`` that also returns the sample's targets, moved by the same
    /// drawn transform (`nil` when the source has none).
    /// - Throws: the image's errors, and the source's `AnnotationError` for a bad record.
    public func renderAnnotated(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws -> SampleTargets? {
        guard let annotated = source as? any AnnotatedSource else {
            try render(sample: index, epoch: epoch, into: slot)
            return nil
        }
        let (targets, maskFile) = try annotated.annotationsLeavingMaskInFile(of: index)
        return try render(path: source.path(of: index), index: index, epoch: epoch, targets: targets, maskFile: maskFile,
                          into: slot).targets
    }

    /// ``collator`` when the source has targets.
    public var annotationCollator: AnnotationCollator? { source is any AnnotatedSource ? collator : nil }

    /// ``render(path:index:epoch:into:)`` into a new array of `sampleShape` Floats.
    public func render(path: String, index: Int, epoch: Int) throws -> [Float] {
        var values = [Float](repeating: 0, count: sampleShape.reduce(1, *))
        try values.withUnsafeMutableBufferPointer { try render(path: path, index: index, epoch: epoch, into: $0) }
        return values
    }

    /// ``render(path:index:epoch:into:)``, returning the op recipe's drawn transform (`nil` for a
    /// Keras config), for logs.
    public func renderReporting(path: String, index: Int, epoch: Int,
                                into slot: UnsafeMutableBufferPointer<Float>) throws -> SampleTransform? {
        try render(path: path, index: index, epoch: epoch, targets: nil, into: slot).transform
    }

    /// ``render(path:index:epoch:into:)`` that also moves `targets` (on the file's upright
    /// image) with the transform it draws, through ``targetOptions``
    /// (`TransformTargets`): the one render function of images and their targets.
    /// A class-map mask still in its file (`maskFile`, replacing `targets.mask`) is decoded after
    /// the transform is drawn, only inside the window its nearest sampling reads (`SampleWindow`):
    /// the same mask as a whole decode gives, for less work.
    /// - Throws: `AnnotationError` when a mask's size differs from its image's or its file is
    ///   malformed; `AugmentationError` for a transform targets cannot follow (`geometry: keras`).
    public func render(path: String, index: Int, epoch: Int, targets: SampleTargets?, maskFile: String? = nil,
                       into slot: UnsafeMutableBufferPointer<Float>) throws -> RenderedSample {
        let targets = targets ?? (maskFile == nil ? nil : SampleTargets())
        let start = StageTimings.now()
        let bytes = try FileBytes.read(path)
        let read = StageTimings.now()
        switch recipe {
        case .keras(let augmenter, let sampler):
            let transform = sampler.transform(epoch: epoch, index: index, height: augmenter.outputHeight,
                                              width: augmenter.outputWidth)
            var options = decodeOptions
            options.minimumSize = augmenter.minimumSourceSize(for: transform, cropsToAspect: keepAspectRatio)
            var image = try decode(bytes, path: path, options: options)
            let decodedSize = (width: image.width, height: image.height)
            let crop = keepAspectRatio ? CenterCrop.rect(width: image.width, height: image.height,
                                                         toAspectWidth: augmenter.outputWidth, height: augmenter.outputHeight) : nil
            if let crop { image = CenterCrop.crop(image, to: crop) }
            let decoded = StageTimings.now()
            augmenter.render(image, transform: transform, into: slot)
            let warped = StageTimings.now()
            let moved = try targets.map { targets throws in
                let upright = try uprightSize(bytes, path: path)
                let (targets, movedMask) = try reading(maskFile, into: targets, imagePath: path, upright: upright) {
                    () throws(AugmentationError) in
                    try TransformTargets.warp(of: transform, augmenter: augmenter, sourceWidth: upright.width,
                                              sourceHeight: upright.height, decodedWidth: decodedSize.width,
                                              decodedHeight: decodedSize.height, crop: crop)
                }
                try checkMask(targets, upright, path: path)
                var moved = try TransformTargets.apply(transform, augmenter: augmenter, sourceWidth: upright.width,
                                                       sourceHeight: upright.height, decodedWidth: decodedSize.width,
                                                       decodedHeight: decodedSize.height, crop: crop, to: targets,
                                                       options: targetOptions)
                if let movedMask { moved.mask = movedMask }
                return moved
            }
            timings?.add(read: read - start, decode: decoded - read, warp: warped - decoded,
                         targets: StageTimings.now() - warped)
            return RenderedSample(transform: nil, targets: moved)
        case .ops(let recipe):
            let upright = try uprightSize(bytes, path: path)
            let transform = recipe.transform(epoch: epoch, index: index, sourceWidth: upright.width,
                                             sourceHeight: upright.height)
            var options = decodeOptions
            options.minimumSize = TransformKernel.minimumSourceSize(for: transform)
            if let window = transform.readWindow, window.width < upright.width || window.height < upright.height {
                options.crop = (window.x, window.y, window.width, window.height)
                options.cropMayWiden = true   // the kernel reads only the window, in place
            }
            var region = try named(path) { () throws(ImageError) in try Image.decodeRegion(bytes, options: options) }
            if region.image.channels != colorMode.channels { region.image = region.image.converted(to: colorMode) }
            let decoded = StageTimings.now()
            TransformKernel.render(region, transform: transform, layout: layout, into: slot)
            let warped = StageTimings.now()
            let moved = try targets.map { targets throws in
                let (targets, movedMask) = try reading(maskFile, into: targets, imagePath: path, upright: upright,
                                                       crop: TransformTargets.targetCrop(of: transform)) {
                    () throws(AugmentationError) in try TransformTargets.warp(of: transform)
                }
                try checkMask(targets, upright, path: path)
                return try TransformTargets.apply(transform, to: targets, options: targetOptions, movedMask: movedMask)
            }
            timings?.add(read: read - start, decode: decoded - read, warp: warped - decoded,
                         targets: StageTimings.now() - warped)
            return RenderedSample(transform: transform, targets: moved)
        }
    }

    /// The size of the image in `bytes` as decoded (EXIF orientation applied when the options say so).
    private func uprightSize(_ bytes: [UInt8], path: String) throws(ImageError) -> (width: Int, height: Int) {
        let info = try named(path) { () throws(ImageError) in try ImageInfo.probe(bytes) }
        return decodeOptions.applyEXIFOrientation ? info.orientedSize : (info.width, info.height)
    }

    /// The mask of `maskFile`, when given, as `warp` needs it: already moved (the second value,
    /// with `targetOptions.ignoreIndex` outside, as `TransformTargets` moves a class map), or
    /// decoded inside the window `warp` reads (placed in `crop`, which the targets are cut to
    /// before `warp` moves them) and put in `targets` to be moved.
    private func reading(_ maskFile: String?, into targets: SampleTargets, imagePath: String, upright: (width: Int, height: Int),
                         crop: (x: Int, y: Int, width: Int, height: Int)? = nil,
                         warp: () throws(AugmentationError) -> TargetWarp) throws -> (SampleTargets, SegmentationMask?) {
        guard let maskFile else { return (targets, nil) }
        var targets = targets
        switch try MaskFile.read(maskFile, imagePath: imagePath, imageSize: upright, for: warp(), crop: crop,
                                 fill: targetOptions.ignoreIndex) {
        case .moved(let mask):
            targets.mask = nil
            return (targets, mask)
        case .held(let mask):
            targets.mask = mask
            return (targets, nil)
        }
    }

    private func checkMask(_ targets: SampleTargets, _ size: (width: Int, height: Int), path: String) throws(AnnotationError) {
        guard let mask = targets.mask, mask.width != size.width || mask.height != size.height else { return }
        throw AnnotationError(.maskSizeMismatch, path: path,
                              message: "the mask is \(mask.width)x\(mask.height), the image \(size.width)x\(size.height)")
    }

    private func decode(_ bytes: [UInt8], path: String, options: DecodeOptions) throws(ImageError) -> Image {
        var image = try named(path) { () throws(ImageError) in try Image.decode(bytes, options: options) }
        if image.channels != colorMode.channels { image = image.converted(to: colorMode) }
        return image
    }

    private func named<T>(_ path: String, _ body: () throws(ImageError) -> T) throws(ImageError) -> T {
        do {
            return try body()
        } catch {
            var named = error
            named.path = path
            throw named
        }
    }
}

/// What one render produced beside its pixels.
public struct RenderedSample: Sendable {
    /// The op recipe's drawn transform (`nil` for a Keras config).
    public var transform: SampleTransform?
    /// The targets moved by the drawn transform, when targets were given.
    public var targets: SampleTargets?
}
