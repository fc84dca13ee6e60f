/// How the targets of a sample travel through its drawn transform: which warped boxes
/// survive, what a mask reads where the output sees no source, which keypoints swap
/// under a horizontal flip, and the box format delivered.
///
/// ```swift
/// var options = TargetOptions()
/// options.boxFilter = BoxFilter(minArea: 16, minVisibility: 0.3)
/// options.boxFormat = .xyxy
/// let moved = try options.apply(warp, to: targets)
/// ```
public struct TargetOptions: Sendable, Equatable {
    /// `min_area`, `min_visibility` and the drop/keep policy.
    public var boxFilter: BoxFilter
    /// The class-map value where the output sees no source, and of erased pixels.
    public var ignoreIndex: UInt16
    /// Keypoint index pairs swapped under a horizontal flip (replaces the source's own).
    public var flipPairs: [Keypoints.FlipPair]
    /// The delivered box format; `nil` keeps the source's (COCO `xywh`, VOC `xyxy`, YOLO `cxcywh`).
    public var boxFormat: BoxFormat?
    /// Whether delivered boxes are normalised by the output size; `nil` keeps the source's.
    public var normalizedBoxes: Bool?

    public init(boxFilter: BoxFilter = BoxFilter(), ignoreIndex: UInt16 = SegmentationMask.defaultIgnoreIndex,
                flipPairs: [Keypoints.FlipPair] = [], boxFormat: BoxFormat? = nil, normalizedBoxes: Bool? = nil) {
        self.boxFilter = boxFilter
        self.ignoreIndex = ignoreIndex
        self.flipPairs = flipPairs
        self.boxFormat = boxFormat
        self.normalizedBoxes = normalizedBoxes
    }

    /// `targets` moved by `warp` (``SampleTargets/warped(by:filter:fill:)``) with these
    /// options' flip pairs, filter and fill, then its boxes converted to ``boxFormat``.
    /// - Throws: ``AugmentationError`` when a flip pair names a keypoint an instance lacks.
    public func apply(_ warp: TargetWarp, to targets: SampleTargets) throws(AugmentationError) -> SampleTargets {
        var targets = targets
        if !flipPairs.isEmpty {
            var paired = [Keypoints]()
            for instance in targets.keypoints {
                paired.append(try Keypoints(instance.points, flipPairs: flipPairs.map { ($0.left, $0.right) }))
            }
            targets.keypoints = paired
        }
        var moved = targets.warped(by: warp, filter: boxFilter, fill: ignoreIndex)
        if let boxes = moved.boxes, boxFormat != nil || normalizedBoxes != nil {
            moved.boxes = boxes.converted(to: boxFormat ?? boxes.format, normalized: normalizedBoxes ?? boxes.normalized,
                                          width: warp.outputWidth, height: warp.outputHeight)
        }
        return moved
    }
}

extension SegmentationMask {
    /// The mask with every pixel of `rectangles` (output pixels, clipped) set to `fill` in a
    /// class map and to 0 in instance planes: erased pixels show no object, so the loss
    /// ignores them (the rule ``TransformTargets`` applies for `random_erasing`).
    public func erasing(_ rectangles: [Erasure], fill: UInt16) -> SegmentationMask {
        guard !rectangles.isEmpty else { return self }
        let value: UInt16 = layout == .classMap ? fill : 0
        var values = self.values
        let held = window
        for p in 0..<planeCount {
            for e in rectangles {
                let rows = max(held.y, e.top)..<max(max(held.y, e.top), min(held.y + held.height, e.top + e.height))
                let columns = max(held.x, e.left)..<max(max(held.x, e.left), min(held.x + held.width, e.left + e.width))
                for row in rows {
                    for column in columns { values[(p * held.height + row - held.y) * held.width + column - held.x] = value }
                }
            }
        }
        return SegmentationMask(layout: layout, width: width, height: height, window: held, values: values)
    }
}
