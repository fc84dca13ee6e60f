/// One keypoint: pixel-index coordinates (the centre of column `i` is `x = i`, as in
/// albumentations) and whether it is visible.
public struct Keypoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var visible: Bool

    public init(x: Double, y: Double, visible: Bool = true) {
        self.x = x
        self.y = y
        self.visible = visible
    }
}

/// The keypoints of one sample, in a fixed order (COCO's 17 body joints, say), with the
/// pairs that swap names under a horizontal flip (left eye ↔ right eye).
///
/// ```swift
/// let points = try Keypoints([Keypoint(x: 10, y: 12), Keypoint(x: 30, y: 12)], flipPairs: [(0, 1)])
/// let moved = points.warped(by: warp)
/// ```
public struct Keypoints: Sendable, Equatable {
    public let points: [Keypoint]
    /// Index pairs exchanged when the transform mirrors horizontally.
    public let flipPairs: [FlipPair]

    /// Two keypoint indices that trade places under a horizontal flip.
    public struct FlipPair: Sendable, Equatable {
        public var left: Int
        public var right: Int
        public init(_ left: Int, _ right: Int) {
            self.left = left
            self.right = right
        }
    }

    /// - Throws: ``AugmentationError`` when a pair names an index outside `points`.
    public init(_ points: [Keypoint], flipPairs: [(Int, Int)] = []) throws(AugmentationError) {
        for (left, right) in flipPairs where !points.indices.contains(left) || !points.indices.contains(right) {
            throw AugmentationError(parameter: "flip_pairs", value: "(\(left), \(right))",
                                    reason: "there are \(points.count) keypoints")
        }
        self.points = points
        self.flipPairs = flipPairs.map { FlipPair($0.0, $0.1) }
    }

    private init(points: [Keypoint], pairs: [FlipPair]) {
        self.points = points
        self.flipPairs = pairs
    }

    /// The keypoints moved forward through `warp`. A point that lands outside the output
    /// (`0 ≤ x < width`, `0 ≤ y < height`, albumentations' test) becomes invisible but
    /// keeps its place, so indices stay aligned; an invisible point stays invisible.
    /// When the warp mirrors horizontally, each flip pair trades places.
    ///
    /// - Complexity: O(points).
    public func warped(by warp: TargetWarp) -> Keypoints {
        let width = Double(warp.outputWidth), height = Double(warp.outputHeight)
        var moved = points.map { point -> Keypoint in
            let (x, y) = warp.matrix.apply(x: point.x, y: point.y)
            let inside = x >= 0 && y >= 0 && x < width && y < height
            return Keypoint(x: x, y: y, visible: point.visible && inside)
        }
        if warp.mirrorsHorizontally {
            for pair in flipPairs { moved.swapAt(pair.left, pair.right) }
        }
        return Keypoints(points: moved, pairs: flipPairs)
    }
}
