/// A segmentation target beside an image: either one class map (a class index per
/// pixel, from an 8- or 16-bit mask file) or one binary plane per instance.
///
/// Colour ops never touch a mask; geometry moves it with nearest sampling
/// (``warped(by:fill:)``), so class indices are never blended.
///
/// ```swift
/// let mask = try SegmentationMask(classMap: labels, width: 64, height: 48)
/// let moved = mask.warped(by: warp)          // outside the source: 255
/// ```
public struct SegmentationMask: Sendable, Equatable {
    /// What the planes hold.
    public enum Layout: Sendable, Equatable {
        /// One plane of class indices.
        case classMap
        /// One 0/1 plane per object instance, in the order of the annotation.
        case instances
    }

    /// The `ignore_index` written where the output sees no source (albumentations' and
    /// torchvision's usual 255).
    public static let defaultIgnoreIndex: UInt16 = 255

    public let layout: Layout
    public let width: Int
    public let height: Int
    /// Plane-major, row-major values: plane `p`, row `y`, column `x` at `(p·height + y)·width + x`.
    public let values: [UInt16]

    /// Number of planes: 1 for a class map, the instance count otherwise.
    public var planeCount: Int { width * height == 0 ? 0 : values.count / (width * height) }

    /// A class map of `width × height` indices.
    /// - Throws: ``AugmentationError`` when the count is not `width × height`.
    public init(classMap: [UInt16], width: Int, height: Int) throws(AugmentationError) {
        guard width > 0, height > 0, classMap.count == width * height else {
            throw AugmentationError(parameter: "mask", value: "\(classMap.count) values",
                                    reason: "a class map of \(width)x\(height) needs \(max(0, width * height))")
        }
        self.init(layout: .classMap, width: width, height: height, values: classMap)
    }

    /// Instance masks, one `width × height` plane of 0/1 per instance (any non-zero is 1).
    /// - Throws: ``AugmentationError`` when a plane has the wrong size.
    public init(instances: [[UInt8]], width: Int, height: Int) throws(AugmentationError) {
        guard width > 0, height > 0 else {
            throw AugmentationError(parameter: "mask", value: "\(width)x\(height)", reason: "instance masks need a positive size")
        }
        var values = [UInt16]()
        values.reserveCapacity(instances.count * width * height)
        for (index, plane) in instances.enumerated() {
            guard plane.count == width * height else {
                throw AugmentationError(parameter: "mask[\(index)]", value: "\(plane.count) values",
                                        reason: "an instance mask of \(width)x\(height) needs \(width * height)")
            }
            values.append(contentsOf: plane.lazy.map { $0 == 0 ? 0 : 1 })
        }
        self.init(layout: .instances, width: width, height: height, values: values)
    }

    init(layout: Layout, width: Int, height: Int, values: [UInt16]) {
        self.layout = layout
        self.width = width
        self.height = height
        self.values = values
    }

    /// The value at column `x`, row `y` of `plane`.
    public subscript(x: Int, y: Int, plane: Int = 0) -> UInt16 {
        values[(plane * height + y) * width + x]
    }

    /// The mask moved by `warp`: every output pixel takes the source pixel nearest to
    /// its pre-image (round half up, as OpenCV's `INTER_NEAREST`); pixels whose pre-image
    /// falls outside the source get `fill` in a class map (default ``defaultIgnoreIndex``)
    /// and 0 in instance planes.
    ///
    /// - Complexity: O(planes × output pixels).
    public func warped(by warp: TargetWarp, fill: UInt16 = SegmentationMask.defaultIgnoreIndex) -> SegmentationMask {
        let outWidth = warp.outputWidth, outHeight = warp.outputHeight
        let outside: UInt16 = layout == .classMap ? fill : 0
        let planes = planeCount
        guard let back = warp.matrix.inverted() else {
            return SegmentationMask(layout: layout, width: outWidth, height: outHeight,
                                    values: [UInt16](repeating: outside, count: planes * outWidth * outHeight))
        }
        var output = [UInt16](repeating: outside, count: planes * outWidth * outHeight)
        guard planes > 0 else { return SegmentationMask(layout: layout, width: outWidth, height: outHeight, values: output) }
        let plane = width * height, outPlane = outWidth * outHeight
        let (w, h) = (Double(width), Double(height))
        if back.b == 0 && back.d == 0 {
            copyAxisAligned(back, planes: planes, outWidth: outWidth, outHeight: outHeight, into: &output)
            return SegmentationMask(layout: layout, width: outWidth, height: outHeight, values: output)
        }
        values.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for y in 0..<outHeight {
                    // The same products as `apply`, per pixel (no accumulated steps), so a
                    // pre-image on a half-pixel boundary rounds the same way.
                    let by = back.b * Double(y), ey = back.e * Double(y)
                    for x in 0..<outWidth {
                        let sx = back.a * Double(x) + by + back.c, sy = back.d * Double(x) + ey + back.f
                        // Round half up: floor(s + ½), as truncation once s + ½ is known to be ≥ 0
                        // (floor is a libm call on baseline x86-64; truncation one instruction).
                        let fx = sx + 0.5, fy = sy + 0.5
                        guard fx >= 0, fy >= 0, fx < w, fy < h else { continue }
                        let from = Int(fy) * width + Int(fx), to = y * outWidth + x
                        target[to] = source[from]
                        var p = 1
                        while p < planes {
                            target[p * outPlane + to] = source[p * plane + from]
                            p += 1
                        }
                    }
                }
            }
        }
        return SegmentationMask(layout: layout, width: outWidth, height: outHeight, values: output)
    }

    /// The warp's gather when `back` keeps the axes (crops, resizes, flips): the source column
    /// of each output column and the source row of each output row are computed once, by the
    /// same arithmetic as the general loop (its `b·y` and `d·x` terms are zero), so the result is the same.
    private func copyAxisAligned(_ back: TargetAffine, planes: Int, outWidth: Int, outHeight: Int,
                                 into output: inout [UInt16]) {
        let columns = (0..<outWidth).map { x -> Int in
            let fx = back.a * Double(x) + back.c + 0.5
            return fx >= 0 && fx < Double(width) ? Int(fx) : -1
        }
        let plane = width * height, outPlane = outWidth * outHeight
        values.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for y in 0..<outHeight {
                    let fy = back.e * Double(y) + back.f + 0.5
                    guard fy >= 0, fy < Double(height) else { continue }
                    let row = Int(fy) * width
                    for p in 0..<planes {
                        let from = p * plane + row, to = p * outPlane + y * outWidth
                        for x in 0..<outWidth where columns[x] >= 0 { target[to + x] = source[from + columns[x]] }
                    }
                }
            }
        }
    }
}
