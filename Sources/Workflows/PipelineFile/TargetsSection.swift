import Augmentation
import DataPipeline

/// `augmentation.targets`: how masks, boxes and keypoints travel through the drawn
/// transform (albumentations' `bbox_params` / `keypoint_params`, torchvision's
/// `SanitizeBoundingBoxes`).
///
/// ```yaml
/// augmentation:
///   ops: [random_resized_crop: {size: 224}, horizontal_flip]
///   targets:
///     box_format: xyxy          # xyxy, xywh or cxcywh; default: the source's own
///     normalized: false         # boxes divided by the output size; default: the source's own
///     min_area: 16              # output pixels
///     min_visibility: 0.3       # fraction of the warped box inside the output
///     small_boxes: drop         # drop (default) or keep boxes under the thresholds
///     ignore_index: 255         # mask value outside the image and under random_erasing
///     flip_pairs: [[1, 2], [3, 4]]   # keypoints swapped by a horizontal flip
///     one_hot_classes: 21       # masks as [N, H, W, K] one-hot instead of [N, H, W] indices
/// ```
public struct TargetsSection: Codable, Sendable, Equatable {
    public var boxFormat: BoxFormat?
    public var normalized: Bool?
    public var minArea: Double
    public var minVisibility: Double
    public var smallBoxes: BoxFilter.Policy
    public var ignoreIndex: Int
    public var flipPairs: [[Int]]
    public var oneHotClasses: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case boxFormat = "box_format", normalized
        case minArea = "min_area", minVisibility = "min_visibility", smallBoxes = "small_boxes"
        case ignoreIndex = "ignore_index", flipPairs = "flip_pairs", oneHotClasses = "one_hot_classes"
    }

    public init() {
        minArea = 0
        minVisibility = 0
        smallBoxes = .drop
        ignoreIndex = Int(SegmentationMask.defaultIgnoreIndex)
        flipPairs = []
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let word = try c.decodeIfPresent(String.self, forKey: .boxFormat) {
            try c.check(BoxFormat(rawValue: word) != nil, .boxFormat, "'\(word)' is not one of: xyxy, xywh, cxcywh")
            boxFormat = BoxFormat(rawValue: word)
        }
        normalized = try c.decodeIfPresent(Bool.self, forKey: .normalized)
        minArea = try c.value(.minArea, default: 0)
        try c.check(minArea >= 0 && minArea.isFinite, .minArea, "must be a finite number >= 0, got \(minArea)")
        minVisibility = try c.value(.minVisibility, default: 0)
        try c.check((0...1).contains(minVisibility), .minVisibility, "must be in [0, 1], got \(minVisibility)")
        let policy = try c.word(.smallBoxes, in: ["drop", "keep"], default: "drop")
        smallBoxes = BoxFilter.Policy(rawValue: policy) ?? .drop
        ignoreIndex = try c.value(.ignoreIndex, default: Int(SegmentationMask.defaultIgnoreIndex))
        try c.check((0...65_535).contains(ignoreIndex), .ignoreIndex, "must be in 0...65535, got \(ignoreIndex)")
        flipPairs = try c.value(.flipPairs, default: [])
        try c.check(flipPairs.allSatisfy { $0.count == 2 && $0.allSatisfy { $0 >= 0 } }, .flipPairs,
                    "expected [[left, right], ...] keypoint indices, got \(flipPairs)")
        oneHotClasses = try c.decodeIfPresent(Int.self, forKey: .oneHotClasses)
        if let classes = oneHotClasses { try c.check(classes >= 1, .oneHotClasses, "must be at least 1, got \(classes)") }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(boxFormat, forKey: .boxFormat)
        try c.encodeIfPresent(normalized, forKey: .normalized)
        try c.encode(minArea, forKey: .minArea)
        try c.encode(minVisibility, forKey: .minVisibility)
        try c.encode(smallBoxes, forKey: .smallBoxes)
        try c.encode(ignoreIndex, forKey: .ignoreIndex)
        try c.encode(flipPairs, forKey: .flipPairs)
        try c.encodeIfPresent(oneHotClasses, forKey: .oneHotClasses)
    }

    /// The library's options for these keys.
    public var options: TargetOptions {
        TargetOptions(boxFilter: BoxFilter(minArea: minArea, minVisibility: minVisibility, policy: smallBoxes),
                      ignoreIndex: UInt16(ignoreIndex), flipPairs: flipPairs.map { Keypoints.FlipPair($0[0], $0[1]) },
                      boxFormat: boxFormat, normalizedBoxes: normalized)
    }

    /// How batches stack the masks.
    public var collator: AnnotationCollator { AnnotationCollator(oneHotClasses: oneHotClasses) }
}
