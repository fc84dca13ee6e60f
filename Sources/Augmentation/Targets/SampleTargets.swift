/// Everything beside one image that geometry must move with it: a mask, boxes with
/// labels, and keypoints (one ``Keypoints`` per annotated instance). Any may be absent.
///
/// ``warped(by:filter:fill:)`` applies one drawn warp to all of them, so they stay aligned
/// with the image rendered by the same warp.
public struct SampleTargets: Sendable, Equatable {
    public var mask: SegmentationMask?
    public var boxes: BoundingBoxes?
    public var keypoints: [Keypoints]

    public init(mask: SegmentationMask? = nil, boxes: BoundingBoxes? = nil, keypoints: [Keypoints] = []) {
        self.mask = mask
        self.boxes = boxes
        self.keypoints = keypoints
    }

    /// Every target moved by `warp`: the mask by nearest sampling with `fill` outside,
    /// boxes forward and filtered by `filter`, keypoints forward.
    public func warped(by warp: TargetWarp, filter: BoxFilter = BoxFilter(),
                       fill: UInt16 = SegmentationMask.defaultIgnoreIndex) -> SampleTargets {
        SampleTargets(mask: mask?.warped(by: warp, fill: fill), boxes: boxes?.warped(by: warp, filter: filter),
                      keypoints: keypoints.map { $0.warped(by: warp) })
    }
}
