/// What a ``BatchOpRecipe`` drew for one batch, applied in place to the batch's images and targets.
///
/// Arithmetic follows torchvision v2 in `Float`: a mixed value is
/// `rolled · Float(1 − λ) + own · Float(λ)` (its `roll(1, 0).mul_(1 − λ).add_(x.mul(λ))`), and
/// CutMix copies the box's pixels from the rolled batch unchanged.
///
/// ```swift
/// let mix = recipe.draw(epoch: 0, batch: 3, height: 224, width: 224)
/// mix.mixImages(pixels, shape: BatchShape(count: 64, height: 224, width: 224, channels: 3))
/// mix.mixTargets(labels, count: 64, classes: 10)
/// ```
public enum BatchMix: Sendable, Equatable {
    /// The batch is left as it is (the op's `p` said no).
    case none
    /// MixUp with weight λ for each sample's own image and target.
    case mixup(lambda: Double)
    /// CutMix: the box comes from the rolled batch; its ``CutMixBox/lambda`` weighs the targets.
    case cutmix(CutMixBox)

    /// The weight of each sample's own target (1 when nothing is mixed).
    public var lambda: Double {
        switch self {
        case .none: 1
        case .mixup(let lambda): lambda
        case .cutmix(let box): box.lambda
        }
    }

    /// The op's name (`mixup`, `cutmix`), nil for ``none``: for logs.
    public var name: String? {
        switch self {
        case .none: nil
        case .mixup: "mixup"
        case .cutmix: "cutmix"
        }
    }

    /// Mixes `shape.count` images stored one after another in `images` (each `shape.sampleSize`
    /// Floats) in place. Uses one sample of scratch (MixUp) or one box of it (CutMix).
    /// - Complexity: O(count · sample size) for MixUp, O(count · box area · channels) for CutMix.
    public func mixImages(_ images: UnsafeMutableBufferPointer<Float>, shape: BatchShape) {
        precondition(images.count >= shape.count * shape.sampleSize, "\(images.count) values for \(shape)")
        switch self {
        case .none: break
        case .mixup(let lambda): Self.mixWithRolled(images, count: shape.count, size: shape.sampleSize, lambda: lambda)
        case .cutmix(let box): Self.pasteRolled(box, into: images, shape: shape)
        }
    }

    /// Mixes `count` target rows of `classes` probabilities in place by ``lambda`` (a no-op for ``none``).
    public func mixTargets(_ targets: UnsafeMutableBufferPointer<Float>, count: Int, classes: Int) {
        precondition(targets.count >= count * classes, "\(targets.count) targets for \(count) × \(classes)")
        guard self != .none else { return }
        Self.mixWithRolled(targets, count: count, size: classes, lambda: lambda)
    }

    /// `v[i] ← v[i − 1]·(1 − λ) + v[i]·λ` for every row `i` (row 0 takes the last row), in place:
    /// rows are updated from the last down, so each still reads its original predecessor.
    static func mixWithRolled(_ v: UnsafeMutableBufferPointer<Float>, count: Int, size: Int, lambda: Double) {
        guard count > 0, size > 0, let base = v.baseAddress else { return }
        let own = Float(lambda), other = Float(1 - lambda)
        let last = Array(UnsafeBufferPointer(start: base + (count - 1) * size, count: size))
        for i in stride(from: count - 1, to: 0, by: -1) {
            let row = base + i * size, previous = row - size
            for j in 0..<size { row[j] = previous[j] * other + row[j] * own }
        }
        for j in 0..<size { base[j] = last[j] * other + base[j] * own }
    }

    /// Copies `box` of image `i − 1` into image `i` for every `i` (image 0 takes the last image's).
    static func pasteRolled(_ box: CutMixBox, into images: UnsafeMutableBufferPointer<Float>, shape: BatchShape) {
        guard shape.count > 0, box.x2 > box.x1, box.y2 > box.y1, let base = images.baseAddress else { return }
        var saved: [Float] = []
        shape.forEachSpan(of: box) { offset, length in
            saved.append(contentsOf: UnsafeBufferPointer(start: base + (shape.count - 1) * shape.sampleSize + offset,
                                                         count: length))
        }
        for i in stride(from: shape.count - 1, to: 0, by: -1) {
            let image = base + i * shape.sampleSize
            shape.forEachSpan(of: box) { offset, length in
                (image + offset).update(from: image + offset - shape.sampleSize, count: length)
            }
        }
        var next = 0
        saved.withUnsafeBufferPointer { saved in
            shape.forEachSpan(of: box) { offset, length in
                (base + offset).update(from: saved.baseAddress! + next, count: length)
                next += length
            }
        }
    }
}

/// The images of a batch as the batch ops see them: `count` samples of `height × width × channels`
/// Floats in `layout` order, one after another.
public struct BatchShape: Sendable, Equatable, CustomStringConvertible {
    /// Samples in the batch.
    public var count: Int
    /// Rows of each image.
    public var height: Int
    /// Columns of each image.
    public var width: Int
    /// Channels of each image.
    public var channels: Int
    /// Element order of each sample.
    public var layout: PixelLayout

    /// The shape of `count` images of `height × width × channels` in `layout` order.
    public init(count: Int, height: Int, width: Int, channels: Int, layout: PixelLayout = .hwc) {
        (self.count, self.height, self.width, self.channels, self.layout) = (count, height, width, channels, layout)
    }

    /// Floats per sample.
    public var sampleSize: Int { height * width * channels }

    /// `N × H × W × C (layout)`.
    public var description: String { "\(count) × \(height) × \(width) × \(channels) (\(layout.rawValue))" }

    /// Calls `body(offset, length)` for each contiguous run of a sample's values inside `box`, in
    /// storage order: one per row (HWC), one per row of each channel plane (CHW).
    func forEachSpan(of box: CutMixBox, _ body: (Int, Int) -> Void) {
        let planes = layout == .hwc ? 1 : channels, perPixel = layout == .hwc ? channels : 1
        let rowStride = width * perPixel, planeStride = height * width
        for plane in 0..<planes {
            for y in box.y1..<box.y2 {
                body(plane * planeStride + y * rowStride + box.x1 * perPixel, (box.x2 - box.x1) * perPixel)
            }
        }
    }
}
