import Augmentation
import Imaging

/// Keras's `save_to_dir`: wraps a renderer and writes every sample it renders
/// to `directory` as PNG or JPEG while the loader iterates.
///
/// Files are named `<prefix>_<epoch>_<index>.<png|jpg>` (Keras uses a random
/// hash; this name is deterministic and identifies the sample). As in Keras's
/// `array_to_img(scale=True)`, each sample is stretched to 0...255 by its own
/// minimum and maximum and truncated to 8 bits.
///
/// ```swift
/// let saving = try SavingRenderer(base: renderer, directory: "preview", prefix: "aug", format: .png())
/// let loader = try DataLoader(source: folder, renderer: saving, options: options)
/// ```
public struct SavingRenderer: SampleRenderer {
    public let base: any SampleRenderer
    public let directory: String
    public let prefix: String
    public let format: EncodeFormat
    public let layout: PixelLayout
    public var sampleShape: [Int] { base.sampleShape }

    /// - Throws: `ImageError.invalidArgument` when the sample shape is not an
    ///   image of 1, 3 or 4 channels (1 or 3 for JPEG).
    public init(base: any SampleRenderer, directory: String, prefix: String = "", format: EncodeFormat = .png(),
                layout: PixelLayout = .hwc) throws(ImageError) {
        let shape = base.sampleShape
        let channels = shape.count == 3 ? (layout == .hwc ? shape[2] : shape[0]) : 0
        let allowed: Set<Int> = if case .jpeg = format { [1, 3] } else { [1, 3, 4] }
        guard allowed.contains(channels) else {
            throw ImageError(.invalidArgument, path: directory,
                             message: "cannot save samples of shape \(shape) (\(layout.rawValue)) as \(format)")
        }
        self.base = base
        self.directory = directory
        self.prefix = prefix
        self.format = format
        self.layout = layout
    }

    /// The file name of sample `index` in `epoch`.
    public func fileName(index: Int, epoch: Int) -> String {
        "\(prefix)_\(epoch)_\(index).\(format.fileNameExtension)"
    }

    public func render(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws {
        try base.render(sample: index, epoch: epoch, into: slot)
        try image(of: UnsafeBufferPointer(slot)).write(to: directory + "/" + fileName(index: index, epoch: epoch),
                                                       as: format)
    }

    /// The sample as an 8-bit image, stretched by its own range (Keras's `scale=True`).
    func image(of sample: UnsafeBufferPointer<Float>) -> Image {
        let shape = sampleShape
        let (height, width, channels) = layout == .hwc ? (shape[0], shape[1], shape[2]) : (shape[1], shape[2], shape[0])
        let low = sample.min() ?? 0
        let range = (sample.max() ?? 0) - low
        var image = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    let offset = layout == .hwc ? (y * width + x) * channels + c : (c * height + y) * width + x
                    let scaled = range == 0 ? (sample[offset] - low) * 255 : (sample[offset] - low) / range * 255
                    image[y, x, c] = UInt8(max(0, min(255, scaled)))
                }
            }
        }
        return image
    }
}
