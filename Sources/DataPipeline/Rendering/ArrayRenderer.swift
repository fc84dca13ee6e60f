import Augmentation
import Imaging

/// Renders the images of an `ArraySource` (Keras's `flow`): UInt8 images go
/// through the `Augmenter` at their own size; Float images are copied as they
/// are (the fused kernel reads 8-bit sources only).
///
/// ```swift
/// let renderer = try ArrayRenderer(source: arrays, config: config, seed: 42)
/// ```
public struct ArrayRenderer: SampleRenderer {
    public let source: ArraySource
    public let augmenter: Augmenter?
    public let sampler: TransformSampler?
    public let sampleShape: [Int]

    /// - Throws: `AugmentationError` for an invalid config, or when a config
    ///   is given for Float images.
    public init(source: ArraySource, config: AugmentationConfig? = nil, seed: UInt64 = 0,
                mode: GeometryMode = .exact, standardizer: Standardizer? = nil) throws(AugmentationError) {
        self.source = source
        self.sampleShape = [source.height, source.width, source.channels]
        guard let config else {
            (augmenter, sampler) = (nil, nil)
            return
        }
        guard case .uint8 = source.pixels else {
            throw AugmentationError(parameter: "pixels", value: "float",
                                    reason: "augmentation reads 8-bit images; pass UInt8 arrays or no config")
        }
        augmenter = try Augmenter(config: config, outputHeight: source.height, outputWidth: source.width,
                                  mode: mode, standardizer: standardizer)
        sampler = TransformSampler(config: config, seed: seed, mode: mode)
    }

    public func render(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws {
        let size = source.sampleSize
        let range = index * size ..< (index + 1) * size
        switch source.pixels {
        case .float(let values):
            _ = slot.update(fromContentsOf: values[range])
        case .uint8(let values):
            guard let augmenter, let sampler else {
                for (offset, value) in values[range].enumerated() { slot[offset] = Float(value) }
                return
            }
            var image = Image(width: source.width, height: source.height, channels: source.channels)
            image.pixels = Array(values[range])
            let transform = sampler.transform(epoch: epoch, index: index, height: source.height, width: source.width)
            augmenter.render(image, transform: transform, into: slot)
        }
    }
}
