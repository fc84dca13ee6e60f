/// How four numbers describe a box.
public enum BoxFormat: String, Sendable, Equatable, CaseIterable, Codable {
    /// `x_min, y_min, x_max, y_max` (Pascal VOC, torchvision's `XYXY`).
    case xyxy
    /// `x_min, y_min, width, height` (COCO).
    case xywh
    /// `x_center, y_center, width, height` (YOLO, normalised).
    case cxcywh
}

/// Axis-aligned boxes with one label each, in edge coordinates (column `i` spans
/// `i ... i + 1`), in pixels or normalised to 0...1 by the image size.
///
/// ```swift
/// let boxes = try BoundingBoxes(format: .xywh, coordinates: [10, 20, 30, 40], labels: [3])   // COCO
/// let moved = boxes.warped(by: warp, filter: BoxFilter(minVisibility: 0.3))
/// ```
public struct BoundingBoxes: Sendable, Equatable {
    public let format: BoxFormat
    /// Coordinates divided by the image width (x) and height (y).
    public let normalized: Bool
    /// Four numbers per box, in `format`.
    public let coordinates: [Double]
    /// One class label per box.
    public let labels: [Int]

    /// Number of boxes.
    public var count: Int { labels.count }

    /// - Throws: ``AugmentationError`` when there are not four coordinates per label.
    public init(format: BoxFormat, normalized: Bool = false, coordinates: [Double], labels: [Int]) throws(AugmentationError) {
        guard coordinates.count == 4 * labels.count else {
            throw AugmentationError(parameter: "boxes", value: "\(coordinates.count) coordinates",
                                    reason: "\(labels.count) labels need \(4 * labels.count)")
        }
        self.format = format
        self.normalized = normalized
        self.coordinates = coordinates
        self.labels = labels
    }

    /// Box `index` as pixel `xyxy` on an image of `width × height`.
    public func pixelCorners(_ index: Int, width: Int, height: Int) -> (x0: Double, y0: Double, x1: Double, y1: Double) {
        let sx = normalized ? Double(width) : 1, sy = normalized ? Double(height) : 1
        let p = coordinates[(4 * index)..<(4 * index + 4)].map { $0 }
        let (x0, y0, x1, y1): (Double, Double, Double, Double) = switch format {
        case .xyxy: (p[0], p[1], p[2], p[3])
        case .xywh: (p[0], p[1], p[0] + p[2], p[1] + p[3])
        case .cxcywh: (p[0] - p[2] / 2, p[1] - p[3] / 2, p[0] + p[2] / 2, p[1] + p[3] / 2)
        }
        return (x0 * sx, y0 * sy, x1 * sx, y1 * sy)
    }

    /// The same boxes in another format and normalisation, on an image of `width × height`.
    public func converted(to format: BoxFormat, normalized: Bool, width: Int, height: Int) -> BoundingBoxes {
        var out = [Double]()
        out.reserveCapacity(coordinates.count)
        for index in 0..<count {
            let c = pixelCorners(index, width: width, height: height)
            out.append(contentsOf: Self.encode(c, format: format, normalized: normalized, width: width, height: height))
        }
        return BoundingBoxes(unchecked: format, normalized: normalized, coordinates: out, labels: labels)
    }

    /// The boxes moved by `warp`, in the same format and normalisation (now relative to
    /// the output size): each box's four corners go forward through the matrix, the
    /// enclosing axis-aligned box is clipped to the output, and `filter` decides which
    /// survive. Labels travel with their boxes.
    ///
    /// Under rotation the enclosing box of the rotated corners is larger than the object
    /// (by up to √2 in each side at 45°), as in albumentations' `largest_box` and
    /// torchvision; this is the documented cost of axis-aligned boxes.
    ///
    /// - Complexity: O(boxes).
    public func warped(by warp: TargetWarp, filter: BoxFilter = BoxFilter()) -> BoundingBoxes {
        warpedKeepingIndices(by: warp, filter: filter).boxes
    }

    /// ``warped(by:filter:)``, with the indices of the boxes that survived (in order), so the
    /// targets that belong to each box (its instance mask, its keypoints) can follow it.
    func warpedKeepingIndices(by warp: TargetWarp, filter: BoxFilter) -> (boxes: BoundingBoxes, kept: [Int]) {
        let m = warp.matrix.onEdges
        let width = Double(warp.outputWidth), height = Double(warp.outputHeight)
        var out = [Double](), kept = [Int](), survivors = [Int]()
        for index in 0..<count {
            let c = pixelCorners(index, width: warp.sourceWidth, height: warp.sourceHeight)
            let corners = [m.apply(x: c.x0, y: c.y0), m.apply(x: c.x1, y: c.y0),
                           m.apply(x: c.x0, y: c.y1), m.apply(x: c.x1, y: c.y1)]
            let x0 = corners.map { $0.x }.min()!, x1 = corners.map { $0.x }.max()!
            let y0 = corners.map { $0.y }.min()!, y1 = corners.map { $0.y }.max()!
            let clipped = (x0: min(max(x0, 0), width), y0: min(max(y0, 0), height),
                           x1: min(max(x1, 0), width), y1: min(max(y1, 0), height))
            let area = (x1 - x0) * (y1 - y0)
            let visible = (clipped.x1 - clipped.x0) * (clipped.y1 - clipped.y0)
            guard filter.keeps(area: area, visibleArea: visible) else { continue }
            out.append(contentsOf: Self.encode(clipped, format: format, normalized: normalized,
                                               width: warp.outputWidth, height: warp.outputHeight))
            kept.append(labels[index])
            survivors.append(index)
        }
        return (BoundingBoxes(unchecked: format, normalized: normalized, coordinates: out, labels: kept), survivors)
    }

    private init(unchecked format: BoxFormat, normalized: Bool, coordinates: [Double], labels: [Int]) {
        self.format = format
        self.normalized = normalized
        self.coordinates = coordinates
        self.labels = labels
    }

    private static func encode(_ c: (x0: Double, y0: Double, x1: Double, y1: Double), format: BoxFormat,
                               normalized: Bool, width: Int, height: Int) -> [Double] {
        let sx = normalized ? 1 / Double(width) : 1, sy = normalized ? 1 / Double(height) : 1
        let (x0, y0, x1, y1) = (c.x0 * sx, c.y0 * sy, c.x1 * sx, c.y1 * sy)
        return switch format {
        case .xyxy: [x0, y0, x1, y1]
        case .xywh: [x0, y0, x1 - x0, y1 - y0]
        case .cxcywh: [(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0]
        }
    }
}

/// Which warped boxes survive: albumentations' `min_area` and `min_visibility`.
public struct BoxFilter: Sendable, Equatable {
    /// What happens to a box under the thresholds.
    public enum Policy: String, Sendable, Equatable, Codable {
        /// Remove it with its label (albumentations, torchvision's `SanitizeBoundingBoxes`).
        case drop
        /// Keep it, clipped (possibly to zero area), so indices stay aligned.
        case keep
    }

    /// Smallest visible (clipped) area in output pixels.
    public var minArea: Double
    /// Smallest fraction of the warped box's area that lies inside the output, 0...1.
    public var minVisibility: Double
    public var policy: Policy

    public init(minArea: Double = 0, minVisibility: Double = 0, policy: Policy = .drop) {
        self.minArea = minArea
        self.minVisibility = minVisibility
        self.policy = policy
    }

    /// Whether a box of warped `area`, of which `visibleArea` is inside the output, stays.
    /// A box that was degenerate (zero area) before clipping never passes under `.drop`.
    func keeps(area: Double, visibleArea: Double) -> Bool {
        if policy == .keep { return true }
        let epsilon = 1e-7
        return area >= epsilon && visibleArea >= minArea - epsilon && visibleArea / (area + epsilon) >= minVisibility
    }
}
