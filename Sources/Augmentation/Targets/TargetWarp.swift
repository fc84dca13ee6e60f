/// One drawn geometric transform as the targets see it: the forward map, the source
/// and output sizes, and whether the transform mirrors left and right (so keypoint
/// `flip_pairs` swap). Every target type has a `warped(by:)` kernel taking this value,
/// so one draw moves the image, its mask, its boxes and its keypoints together.
///
/// ```swift
/// let warp = TargetWarp(matrix: .horizontalFlip(width: 64), sourceWidth: 64, sourceHeight: 48,
///                       outputWidth: 64, outputHeight: 48, mirrorsHorizontally: true)
/// let moved = boxes.warped(by: warp)
/// ```
public struct TargetWarp: Sendable, Equatable {
    /// Source pixel coordinates → output pixel coordinates (pixel-index convention).
    public var matrix: TargetAffine
    public var sourceWidth: Int
    public var sourceHeight: Int
    public var outputWidth: Int
    public var outputHeight: Int
    /// True when the transform includes a horizontal flip: keypoints swap their `flipPairs`.
    public var mirrorsHorizontally: Bool

    public init(matrix: TargetAffine, sourceWidth: Int, sourceHeight: Int, outputWidth: Int, outputHeight: Int,
                mirrorsHorizontally: Bool = false) {
        self.matrix = matrix
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        self.mirrorsHorizontally = mirrorsHorizontally
    }
}
