/// Everything beside one image that geometry must move with it: a mask, boxes with
/// labels, and keypoints (one ``Keypoints`` per annotated instance). Any may be absent.
///
/// ``warped(by:filter:fill:)`` applies one drawn warp to all of them, so they stay aligned
/// with the image rendered by the same warp.
///
/// Instance targets belong to their boxes when they count the same: the `i`-th instance
/// plane of an instance mask and the `i`-th ``Keypoints`` are box `i`'s (COCO's records give
/// all three per object). A box the filter drops takes them with it, as torchvision v2's
/// `SanitizeBoundingBoxes` drops the masks of the boxes it removes, so indices stay aligned.
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
    /// boxes forward and filtered by `filter` (a dropped box's instance plane and keypoints
    /// with it, see the type's notes), keypoints forward.
    public func warped(by warp: TargetWarp, filter: BoxFilter = BoxFilter(),
                       fill: UInt16 = SegmentationMask.defaultIgnoreIndex) -> SampleTargets {
        var moved = SampleTargets(mask: mask?.warped(by: warp, fill: fill), keypoints: keypoints.map { $0.warped(by: warp) })
        guard let boxes else { return moved }
        let (kept, survivors) = boxes.warpedKeepingIndices(by: warp, filter: filter)
        moved.boxes = kept
        guard survivors.count < boxes.count else { return moved }
        if let instances = moved.mask, instances.layout == .instances, instances.planeCount == boxes.count {
            moved.mask = instances.planes(survivors)
        }
        if moved.keypoints.count == boxes.count { moved.keypoints = survivors.map { moved.keypoints[$0] } }
        return moved
    }
}
