/// The dense targets of a detection, segmentation or keypoint batch, beside `Batch.inputs`.
///
/// Layouts (N samples; `M` the most boxes or instances of any sample in the batch):
///
/// | target     | Augment                                   | Keras (KerasCV / keras_hub)         | torchvision v2                     |
/// |------------|-------------------------------------------|-------------------------------------|------------------------------------|
/// | mask       | `[N, H, W]` Int32 class indices, or one-hot `[N, H, W, K]` Float | `[N, H, W, 1]` or one-hot | `[N, H, W]` int64 `Mask`            |
/// | instance masks | `[N, M, H, W]` UInt8 0/1 planes (zero padding) + `counts[N]`, plane `i` box `i`'s | padded, beside the boxes | a list of `[n_i, H, W]` `Mask` |
/// | boxes      | `[N, M, 4]` Float + labels `[N, M]` Int32 (padding -1) + `counts[N]` | dense `boxes`/`classes` padded with -1 | a list of `[n_i, 4]` `BoundingBoxes` |
/// | keypoints  | `[N, M, K, 3]` Float (x, y, visibility) + `counts[N]` | `[N, M, K, 3]` dense, padded   | a list of `[n_i, K, 2]` `KeyPoints`  |
///
/// Padding rows are zeros (labels -1); ``PaddedBoxes/boxes(ofSample:)`` and
/// ``PaddedKeypoints/instances(ofSample:)`` give the ragged, torchvision-style view.
public struct BatchAnnotations: Sendable, Equatable {
    public var masks: MaskBatch?
    public var boxes: PaddedBoxes?
    public var keypoints: PaddedKeypoints?

    public init(masks: MaskBatch? = nil, boxes: PaddedBoxes? = nil, keypoints: PaddedKeypoints? = nil) {
        self.masks = masks
        self.boxes = boxes
        self.keypoints = keypoints
    }
}

/// Segmentation masks of a batch.
public enum MaskBatch: Sendable, Equatable {
    /// `[N, H, W]` class indices, row-major.
    case classIndices(ClassIndices)
    /// `[N, H, W, K]` one-hot (pixels at the ignore index are all zeros).
    case oneHot(Tensor)
    /// `[N, M, H, W]` instance planes, padded with empty planes, and a count per sample.
    case instances(PaddedInstanceMasks)

    /// The shape: `[N, H, W]` or `[N, H, W, K]`.
    public var shape: [Int] {
        switch self {
        case .classIndices(let indices): indices.shape
        case .oneHot(let tensor): tensor.shape
        case .instances(let masks): masks.shape
        }
    }
}

/// Boxes padded to the most boxes of any sample, with a count per sample.
public struct PaddedBoxes: Sendable, Equatable {
    /// `[N, M, 4]`, in the format the source or the targets options chose.
    public var coordinates: Tensor
    /// `[N, M]` row-major, -1 in padding.
    public var labels: [Int32]
    /// Real boxes per sample.
    public var counts: [Int]

    /// - Precondition: shapes agree (`[N, M, 4]`, `N·M` labels, `N` counts each ≤ M).
    public init(coordinates: Tensor, labels: [Int32], counts: [Int]) {
        precondition(coordinates.rank == 3 && coordinates.shape[2] == 4 && coordinates.shape[0] == counts.count
                     && labels.count == coordinates.shape[0] * coordinates.shape[1]
                     && counts.allSatisfy { $0 >= 0 && $0 <= coordinates.shape[1] }, "inconsistent padded boxes")
        self.coordinates = coordinates
        self.labels = labels
        self.counts = counts
    }

    /// The real boxes of sample `index`: four numbers per box and a label each.
    public func boxes(ofSample index: Int) -> (coordinates: [Float], labels: ArraySlice<Int32>) {
        let capacity = coordinates.shape[1]
        let start = index * capacity
        return (coordinates.scalars((4 * start)..<(4 * (start + counts[index]))),
                labels[start..<(start + counts[index])])
    }
}

/// Instance masks padded to the most instances of any sample, with a count per sample.
public struct PaddedInstanceMasks: Sendable, Equatable {
    /// `[N, M, H, W]`.
    public var shape: [Int]
    /// 0/1 per pixel, row-major; padding planes are zeros.
    public var values: [UInt8]
    /// Real instances per sample.
    public var counts: [Int]

    /// - Precondition: `shape` is `[N, M, H, W]`, `values` its product, `N` counts each ≤ M.
    public init(shape: [Int], values: [UInt8], counts: [Int]) {
        precondition(shape.count == 4 && values.count == shape.reduce(1, *) && counts.count == shape[0]
                     && counts.allSatisfy { $0 >= 0 && $0 <= shape[1] }, "inconsistent padded instance masks")
        self.shape = shape
        self.values = values
        self.counts = counts
    }

    /// The real planes of sample `index`, `H × W` values each.
    public func planes(ofSample index: Int) -> ArraySlice<UInt8> {
        let plane = shape[2] * shape[3]
        let start = index * shape[1] * plane
        return values[start ..< (start + counts[index] * plane)]
    }
}

/// Keypoint instances padded to the most instances of any sample, with a count per sample.
public struct PaddedKeypoints: Sendable, Equatable {
    /// `[N, M, K, 3]`: x, y and visibility (1 visible, 0 not).
    public var values: Tensor
    /// Real instances per sample.
    public var counts: [Int]

    /// - Precondition: `values` is `[N, M, K, 3]` with `N` counts each ≤ M.
    public init(values: Tensor, counts: [Int]) {
        precondition(values.rank == 4 && values.shape[3] == 3 && values.shape[0] == counts.count
                     && counts.allSatisfy { $0 >= 0 && $0 <= values.shape[1] }, "inconsistent padded keypoints")
        self.values = values
        self.counts = counts
    }

    /// The real instances of sample `index`, `K × 3` numbers each.
    public func instances(ofSample index: Int) -> [Float] {
        let perInstance = values.shape[2] * 3
        let start = index * values.shape[1] * perInstance
        return values.scalars(start..<(start + counts[index] * perInstance))
    }
}
