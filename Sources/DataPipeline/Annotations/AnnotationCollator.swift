import Augmentation
import Tensors

/// Stacks the warped targets of a batch's samples into `Tensors.BatchAnnotations`: masks as
/// `[N, H, W]` Int32 class indices (or one-hot `[N, H, W, K]`), instance masks as `[N, M, H, W]`
/// planes, boxes and keypoints padded to the largest sample with a count per sample.
///
/// ```swift
/// let annotations = try AnnotationCollator(oneHotClasses: nil).collate(samples)
/// let batch = Batch(inputs: images, targets: labels, annotations: annotations)
/// ```
public struct AnnotationCollator: Sendable {
    /// With a class count `K`, masks are one-hot `[N, H, W, K]` (indices ≥ K, such as the
    /// ignore index, become all-zero rows); with `nil`, `[N, H, W]` Int32.
    public var oneHotClasses: Int?

    public init(oneHotClasses: Int? = nil) {
        self.oneHotClasses = oneHotClasses
    }

    /// - Throws: ``DataPipelineError`` `.invalidArgument` when samples disagree: a target
    ///   present in some samples only, masks of different sizes or layouts, or keypoint
    ///   instances of different lengths.
    public func collate(_ samples: [SampleTargets]) throws(DataPipelineError) -> BatchAnnotations {
        try collate(samples, staged: nil)
    }

    /// ``collate(_:)`` with the class maps the loader's workers already wrote into the batch's
    /// buffer (`SegmentationMask.writeValues(into:)`): those samples' `mask` is `nil` and
    /// `staged` holds them.
    func collate(_ samples: [SampleTargets], staged: StagedMasks?) throws(DataPipelineError) -> BatchAnnotations {
        let masks: MaskBatch?
        if let staged {
            guard staged.count == samples.count else {
                throw DataPipelineError(.invalidArgument, message: "class-map masks of \(staged.indices.shape[2])x\(staged.indices.shape[1]) are present in \(staged.count) of \(samples.count) samples of the batch")
            }
            masks = .classIndices(staged.indices)
        } else {
            masks = try self.masks(samples)
        }
        return BatchAnnotations(masks: masks, boxes: try boxes(samples), keypoints: try keypoints(samples))
    }

    /// Whether `mask` goes straight into a batch's `[N, height, width]` Int32 buffer: a class
    /// map of that size, batched as indices (not one-hot).
    func stages(_ mask: SegmentationMask, height: Int, width: Int) -> Bool {
        oneHotClasses == nil && mask.layout == .classMap && mask.width == width && mask.height == height
    }

    private func present<T>(_ values: [T?], _ name: String) throws(DataPipelineError) -> [T]? {
        let found = values.compactMap { $0 }
        guard found.count == values.count || found.isEmpty else {
            throw DataPipelineError(.invalidArgument, message: "\(name) are present in \(found.count) of \(values.count) samples of the batch")
        }
        return found.isEmpty ? nil : found
    }

    private func masks(_ samples: [SampleTargets]) throws(DataPipelineError) -> MaskBatch? {
        guard let masks = try present(samples.map(\.mask), "masks") else { return nil }
        let (width, height, layout) = (masks[0].width, masks[0].height, masks[0].layout)
        for mask in masks where mask.width != width || mask.height != height || mask.layout != layout {
            throw DataPipelineError(.invalidArgument, message: mask.layout != layout
                ? "class-map and instance masks cannot share a batch"
                : "masks of \(mask.width)x\(mask.height) and \(width)x\(height) cannot share a batch")
        }
        if layout == .instances { return .instances(Self.padded(masks)) }
        guard let classes = oneHotClasses else {
            let plane = height * width
            let storage = ClassIndexStorage(count: masks.count * plane)
            storage.withUnsafeMutableBufferPointer { all in
                for (n, mask) in masks.enumerated() { mask.writeValues(into: UnsafeMutableBufferPointer(rebasing: all[(n * plane) ..< ((n + 1) * plane)])) }
            }
            return .classIndices(ClassIndices(shape: [masks.count, height, width], storage: storage))
        }
        guard classes > 0 else { throw DataPipelineError(.invalidArgument, message: "one-hot masks need a positive class count, got \(classes)") }
        var storage = [Float](repeating: 0, count: masks.count * height * width * classes)
        var pixel = 0
        for mask in masks {
            for value in mask.values {
                if Int(value) < classes { storage[pixel * classes + Int(value)] = 1 }
                pixel += 1
            }
        }
        return .oneHot(Tensor(shape: [masks.count, height, width, classes], scalars: storage))
    }

    /// Instance planes padded with empty planes to the most instances of any sample.
    private static func padded(_ masks: [SegmentationMask]) -> PaddedInstanceMasks {
        let (width, height) = (masks[0].width, masks[0].height)
        let capacity = masks.map(\.planeCount).max() ?? 0
        let sample = capacity * width * height
        var values = [UInt8](repeating: 0, count: masks.count * sample)
        for (n, mask) in masks.enumerated() {
            for (i, value) in mask.values.enumerated() where value != 0 { values[n * sample + i] = 1 }
        }
        return PaddedInstanceMasks(shape: [masks.count, capacity, height, width], values: values, counts: masks.map(\.planeCount))
    }

    private func boxes(_ samples: [SampleTargets]) throws(DataPipelineError) -> PaddedBoxes? {
        guard let boxes = try present(samples.map(\.boxes), "boxes") else { return nil }
        let capacity = boxes.map(\.count).max() ?? 0
        var coordinates = [Float](repeating: 0, count: boxes.count * capacity * 4)
        var labels = [Int32](repeating: -1, count: boxes.count * capacity)
        for (sample, set) in boxes.enumerated() {
            for box in 0..<set.count {
                let slot = sample * capacity + box
                for k in 0..<4 { coordinates[4 * slot + k] = Float(set.coordinates[4 * box + k]) }
                labels[slot] = Int32(set.labels[box])
            }
        }
        return PaddedBoxes(coordinates: Tensor(shape: [boxes.count, capacity, 4], scalars: coordinates),
                           labels: labels, counts: boxes.map(\.count))
    }

    private func keypoints(_ samples: [SampleTargets]) throws(DataPipelineError) -> PaddedKeypoints? {
        guard samples.contains(where: { !$0.keypoints.isEmpty }) else { return nil }
        let lengths = Set(samples.flatMap { $0.keypoints.map(\.points.count) })
        guard lengths.count == 1, let length = lengths.first else {
            throw DataPipelineError(.invalidArgument, message: "keypoint instances of \(lengths.sorted()) points cannot share a batch")
        }
        let capacity = samples.map(\.keypoints.count).max() ?? 0
        var values = [Float](repeating: 0, count: samples.count * capacity * length * 3)
        for (sample, targets) in samples.enumerated() {
            for (instance, points) in targets.keypoints.enumerated() {
                for (k, point) in points.points.enumerated() {
                    let at = ((sample * capacity + instance) * length + k) * 3
                    values[at] = Float(point.x)
                    values[at + 1] = Float(point.y)
                    values[at + 2] = point.visible ? 1 : 0
                }
            }
        }
        return PaddedKeypoints(values: Tensor(shape: [samples.count, capacity, length, 3], scalars: values),
                               counts: samples.map(\.keypoints.count))
    }
}

/// The class maps of a batch that the loader's workers wrote straight into its mask buffer.
struct StagedMasks {
    /// `[N, H, W]` (the slots that did not stage hold stale values).
    var indices: ClassIndices
    /// How many of the batch's samples staged their class map.
    var count: Int
}
