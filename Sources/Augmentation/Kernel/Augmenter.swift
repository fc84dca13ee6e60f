import Imaging

/// The fused augmentation kernel: from a decoded `Image` of any size to `outputHeight ×
/// outputWidth × channels` Floats in one pass.
///
/// Resize, rotation, shift, shear, zoom and flips are one `AffineMap` per sample (`.exact`), or
/// Keras's own geometry (`.keras`). Then channel shift, brightness, rescale and standardisation.
///
/// ```swift
/// let augmenter = try Augmenter(config: config, outputHeight: 64, outputWidth: 64)
/// let sampler = TransformSampler(config: config, seed: 7)
/// let t = sampler.transform(epoch: 0, index: i, height: 64, width: 64)
/// augmenter.render(image, transform: t, into: slot)   // 64·64·channels Floats
/// ```
///
/// **`.exact`** (default): the source is resized with pixel centres aligned, then warped about the
/// true output centre (`AffineMap.exact`), all folded into one matrix and sampled once from the
/// UInt8 source (bilinear or nearest). Strong downscales (> 1.5 source pixels per output pixel)
/// first box-average the source by the rounded factor (`MipLevel`, a temporary buffer on the
/// stack when small) and sample that, so the output does not alias. Fill modes use true
/// periods; `constant` blends with `cval`. Channel shift adds its intensity and clamps to [0, 255];
/// brightness multiplies and clamps to [0, 255]; rescale and feature-wise centre/std become a
/// per-channel `scale·v + bias`, all fused into the store. Sample-wise statistics, a preprocessing
/// function and ZCA run as a second pass over the sample.
///
/// **`.keras`**: Keras's `flow_from_directory` path. A source of another size is first resized
/// like `load_img`'s default (PIL `nearest`, Pillow's accumulated `(i + 0.5)·source/output`, see
/// `KerasWarp.nearestIndices`), read through index tables (no intermediate image), then ``KerasGeometry`` and `KerasSampling` in Float64,
/// stored as Float32, flips folded into the store, then ``KerasColor`` channel shift and
/// brightness on the whole sample, then ``Standardizer/standardize(_:samples:height:width:channels:layout:preprocessing:)``.
public struct Augmenter: Sendable {
    public let config: AugmentationConfig
    public let outputHeight: Int
    public let outputWidth: Int
    public let layout: PixelLayout
    public let mode: GeometryMode
    public let standardizer: Standardizer

    /// - Throws: ``AugmentationError`` for an invalid config or size, a feature-wise statistic
    ///   without a fitted `standardizer`, or ZCA with the `chw` layout.
    public init(config: AugmentationConfig, outputHeight: Int, outputWidth: Int,
                layout: PixelLayout = .hwc, mode: GeometryMode = .exact, standardizer: Standardizer? = nil)
        throws(AugmentationError) {
        try config.validate()
        guard outputHeight > 0, outputWidth > 0 else {
            throw AugmentationError(parameter: "output size", value: "\(outputWidth)x\(outputHeight)",
                                    reason: "must be positive")
        }
        let standardizer = standardizer ?? Standardizer(config: config)
        guard standardizer.isReady else {
            throw AugmentationError(parameter: "standardizer", value: "unfitted",
                                    reason: "feature-wise centring, std normalisation or ZCA need a fitted Standardizer")
        }
        if standardizer.zcaWhitening && layout == .chw {
            throw AugmentationError(parameter: "layout", value: "chw",
                                    reason: "the ZCA matrix is fitted in HWC order; render HWC")
        }
        self.config = config
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.layout = layout
        self.mode = mode
        self.standardizer = standardizer
    }

    /// Checks that `image` can be rendered (its channels match a fitted standardizer), so a
    /// pipeline can report a clear error instead of reaching `render`'s precondition.
    public func validate(_ image: Image) throws(AugmentationError) {
        if let mean = standardizer.mean, mean.count != image.channels {
            throw AugmentationError(parameter: "image channels", value: "\(image.channels)",
                                    reason: "the standardizer was fitted on \(mean.count)-channel images")
        }
        if let w = standardizer.zcaMatrix, w.count != outputCount(channels: image.channels) * outputCount(channels: image.channels) {
            throw AugmentationError(parameter: "image channels", value: "\(image.channels)",
                                    reason: "the ZCA matrix does not match \(outputWidth)x\(outputHeight)x\(image.channels) outputs")
        }
    }

    /// Floats written per sample for an image with `channels` channels.
    public func outputCount(channels: Int) -> Int { outputHeight * outputWidth * channels }

    /// Writes `outputHeight·outputWidth·image.channels` Floats for `image` under `transform`.
    /// `output` must hold at least that many; a fitted standardizer must have `image.channels`
    /// channels (``validate(_:)`` checks it without trapping). No heap allocation on the common path; ZCA, `.keras` index tables and the
    /// downscale mip level use `withUnsafeTemporaryAllocation` scratch.
    /// - Complexity: O(output pixels · channels); `.exact` bilinear runs a branch-free inner loop.
    public func render(_ image: Image, transform: Transform, into output: UnsafeMutableBufferPointer<Float>) {
        let channels = image.channels
        let count = outputCount(channels: channels)
        precondition(output.count >= count, "output slot holds \(output.count) Floats, needs \(count)")
        precondition(standardizer.mean.map { $0.count == channels } ?? true,
                     "standardizer was fitted on \(standardizer.mean?.count ?? 0) channels, image has \(channels)")
        let sample = UnsafeMutableBufferPointer(rebasing: output[0..<count])
        image.pixels.withUnsafeBufferPointer { source in
            switch mode {
            case .keras:
                let sampling = KerasSampling(fill: config.fillMode, order: config.interpolationOrder, cval: config.cval)
                KerasWarp.render(source, width: image.width, height: image.height, channels: channels,
                                 transform: transform, sampling: sampling, into: sample,
                                 width: outputWidth, height: outputHeight, layout: layout)
                standardize(sample, channels: channels)
            case .exact:
                renderExact(source, image: image, transform: transform, into: sample)
            }
        }
    }

    /// The smallest upright source size worth decoding for `transform`: a decoder that can
    /// reduce cheaply (JPEG DCT scaling) may stop at it instead of decoding at full size.
    ///
    /// `.exact` box-reduces any source that `transform` samples at more than 1.5 source pixels
    /// per output pixel along an axis (`MipLevel`), which leaves at least 0.75; a source
    /// decoded down to 0.75 source pixels per output pixel is therefore no coarser than the
    /// reduction's worst case. Each axis has its own bound, unless `cropsToAspect` (the source
    /// is centre-cropped to the output's aspect ratio after decoding, so either axis may become
    /// the cropped one): then both take the tighter. `.keras` resizes the source to the output
    /// first: the output size.
    public func minimumSourceSize(for transform: Transform, cropsToAspect: Bool = false) -> (width: Int, height: Int) {
        guard mode == .exact else { return (outputWidth, outputHeight) }
        let map = AffineMap.exact(transform, width: outputWidth, height: outputHeight,
                                  sourceWidth: outputWidth, sourceHeight: outputHeight)
        var (x, y) = MipLevel.spacings(map)
        guard x.isFinite, y.isFinite, x > 0, y > 0 else { return (outputWidth, outputHeight) }
        if cropsToAspect { (x, y) = (min(x, y), min(x, y)) }
        func size(_ output: Int, spacing: Double) -> Int {
            Int(min((MipLevel.leastFootprint * Double(output) / spacing).rounded(.up), Double(Int32.max)))
        }
        return (size(outputWidth, spacing: x), size(outputHeight, spacing: y))
    }

    /// Convenience form returning a new array (allocates).
    public func render(_ image: Image, transform: Transform) -> [Float] {
        var output = [Float](repeating: 0, count: outputCount(channels: image.channels))
        output.withUnsafeMutableBufferPointer { render(image, transform: transform, into: $0) }
        return output
    }

    private func standardize(_ sample: UnsafeMutableBufferPointer<Float>, channels: Int) {
        standardizer.standardize(sample, height: outputHeight, width: outputWidth, channels: channels,
                                 layout: layout, preprocessing: config.preprocessingFunction)
    }

    private func renderExact(_ source: UnsafeBufferPointer<UInt8>, image: Image, transform t: Transform,
                             into sample: UnsafeMutableBufferPointer<Float>) {
        var finish = PixelFinish()
        if let shift = t.channelShiftIntensity {
            finish.clamps = true
            finish.shift = SIMD4(repeating: Float(shift))
            finish.shiftLow = .zero
            finish.shiftHigh = SIMD4(repeating: 255)
        }
        if let b = t.brightness {
            finish.clamps = true
            finish.brightness = SIMD4(repeating: Float(b))
            finish.brightLow = .zero
            finish.brightHigh = SIMD4(repeating: 255)
        }
        let fused = config.preprocessingFunction == nil && !standardizer.needsSecondPass
        if fused {
            (finish.scale, finish.bias) = standardizer.channelAffine(channels: image.channels)
        }
        let map = AffineMap.exact(t, width: outputWidth, height: outputHeight,
                                  sourceWidth: image.width, sourceHeight: image.height)
        ExactWarp.render(source, width: image.width, height: image.height, channels: image.channels, map: map,
                         fill: config.fillMode, cval: Float(config.cval), order: config.interpolationOrder,
                         finish: finish, into: sample, width: outputWidth, height: outputHeight, layout: layout)
        if !fused { standardize(sample, channels: image.channels) }
    }
}
