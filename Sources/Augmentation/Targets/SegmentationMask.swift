import CAugmentKernels

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

    /// The part of a mask whose values are held: all of it, except for a class map read from its
    /// file only where a drawn warp samples it (``readWindow(of:)``).
    package struct Window: Sendable, Equatable {
        package var x: Int, y: Int, width: Int, height: Int

        package init(x: Int, y: Int, width: Int, height: Int) {
            (self.x, self.y, self.width, self.height) = (x, y, width, height)
        }
    }

    public let layout: Layout
    public let width: Int
    public let height: Int
    /// Plane-major, row-major values: plane `p`, row `y`, column `x` at `(p·height + y)·width + x`
    /// (of the part held, for a mask decoded only where a warp reads it).
    public let values: [UInt16]
    /// Which part `values` holds (the whole mask for every public initialiser).
    package let window: Window

    /// Number of planes: 1 for a class map, the instance count otherwise.
    public var planeCount: Int {
        layout == .classMap ? 1 : width * height == 0 ? 0 : values.count / (width * height)
    }

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

    /// The instance planes at `indices`, in that order (an instance mask's selection: what
    /// follows the boxes a filter kept).
    /// - Precondition: an instance mask, every index below ``planeCount``.
    public func planes(_ indices: [Int]) -> SegmentationMask {
        precondition(layout == .instances && indices.allSatisfy { (0..<planeCount).contains($0) }, "instance planes \(indices) of \(planeCount)")
        let plane = width * height
        return SegmentationMask(layout: .instances, width: width, height: height,
                                values: indices.flatMap { values[($0 * plane) ..< (($0 + 1) * plane)] })
    }

    /// Writes the held values as Int32 (a class map's indices, or instance planes' 0/1) into
    /// `destination`, which takes ``values``' count, with streaming stores: for a batch buffer
    /// another thread reads later (the data loader's masks).
    public func writeValues(into destination: UnsafeMutableBufferPointer<Int32>) {
        precondition(destination.count == values.count, "\(values.count) values into \(destination.count)")
        values.withUnsafeBufferPointer { aug_widen_indices($0.baseAddress, destination.baseAddress, $0.count) }
    }

    /// Instance plane `index` as 0/1 bytes, row-major.
    /// - Precondition: an instance mask, `index` below ``planeCount``.
    public func plane(_ index: Int) -> [UInt8] {
        precondition(layout == .instances && (0..<planeCount).contains(index), "instance plane \(index) of \(planeCount)")
        let plane = width * height
        return values[(index * plane) ..< ((index + 1) * plane)].map { UInt8($0) }
    }

    init(layout: Layout, width: Int, height: Int, values: [UInt16]) {
        self.init(layout: layout, width: width, height: height, window: Window(x: 0, y: 0, width: width, height: height),
                  values: values)
    }

    init(layout: Layout, width: Int, height: Int, window: Window, values: [UInt16]) {
        self.layout = layout
        self.width = width
        self.height = height
        self.window = window
        self.values = values
    }

    /// A `width × height` class map of which only `window` is held (`values`: its rows), for a
    /// mask decoded only where a warp reads it (``readWindow(of:)``); ``warped(by:fill:)``
    /// gives what it gives for the whole mask.
    /// - Throws: ``AugmentationError`` when the window leaves the mask or the count is not its area.
    package init(classMap values: [UInt16], width: Int, height: Int, window: Window) throws(AugmentationError) {
        guard width > 0, height > 0, window.x >= 0, window.y >= 0, window.width >= 0, window.height >= 0,
              window.x + window.width <= width, window.y + window.height <= height,
              values.count == window.width * window.height else {
            throw AugmentationError(parameter: "mask", value: "\(values.count) values in \(window)",
                                    reason: "a window of a \(width)x\(height) class map needs its area of values, inside the mask")
        }
        self.init(layout: .classMap, width: width, height: height, window: window, values: values)
    }

    /// The rectangle of source pixels that ``warped(by:fill:)`` can read for `warp` (whole-mask
    /// coordinates, clipped to the mask; empty when the output sees none of it): the nearest
    /// pixels of the output corners' pre-images, one pixel wider on every side for rounding.
    package static func readWindow(of warp: TargetWarp) -> Window {
        let all = Window(x: 0, y: 0, width: warp.sourceWidth, height: warp.sourceHeight)
        guard let back = warp.matrix.inverted(), warp.outputWidth > 0, warp.outputHeight > 0 else { return all }
        let corners = [(0.0, 0.0), (Double(warp.outputWidth - 1), 0.0), (0.0, Double(warp.outputHeight - 1)),
                       (Double(warp.outputWidth - 1), Double(warp.outputHeight - 1))]
        let xs = corners.map { back.a * $0.0 + back.b * $0.1 + back.c }
        let ys = corners.map { back.d * $0.0 + back.e * $0.1 + back.f }
        guard (xs + ys).allSatisfy(\.isFinite) else { return all }
        func span(_ values: [Double], _ size: Int) -> (Int, Int) {
            let low = max(-1, min(Double(size), (values.min()! + 0.5).rounded(.down) - 1))
            let high = max(-1, min(Double(size), (values.max()! + 0.5).rounded(.down) + 2))
            return (max(0, Int(low)), max(0, Int(high)))
        }
        let (x0, x1) = span(xs, warp.sourceWidth), (y0, y1) = span(ys, warp.sourceHeight)
        return Window(x: min(x0, x1), y: min(y0, y1), width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// For a warp that keeps the axes (crops, resizes, flips): the source column nearest sampling
    /// reads for each output column and the source row for each output row (-1 outside the
    /// source), by the arithmetic of ``warped(by:fill:)``; `nil` for any other warp.
    package static func nearestGrid(of warp: TargetWarp) -> (columns: [Int32], rows: [Int32])? {
        guard let back = warp.matrix.inverted(), back.b == 0, back.d == 0 else { return nil }
        return (axisTable(back.a, back.c, count: warp.outputWidth, within: 0..<warp.sourceWidth).map { Int32($0) },
                axisTable(back.e, back.f, count: warp.outputHeight, within: 0..<warp.sourceHeight).map { Int32($0) })
    }

    /// The nearest source index `Int(scale·i + offset + ½)` of each output index `i` on one axis,
    /// relative to `within`'s start, or -1 outside it (the one rounding of the axis-aligned warp).
    static func axisTable(_ scale: Double, _ offset: Double, count: Int, within: Range<Int>) -> [Int] {
        (0..<count).map { i -> Int in
            let f = scale * Double(i) + offset + 0.5
            return f >= Double(within.lowerBound) && f < Double(within.upperBound) ? Int(f) - within.lowerBound : -1
        }
    }

    /// The value at column `x`, row `y` of `plane`.
    public subscript(x: Int, y: Int, plane: Int = 0) -> UInt16 {
        values[(plane * window.height + y - window.y) * window.width + x - window.x]
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
        let plane = window.width * window.height, outPlane = outWidth * outHeight
        // Sources outside the held window are outside the mask (readWindow holds every one read).
        let (left, top) = (Double(window.x), Double(window.y))
        let (right, bottom) = (Double(window.x + window.width), Double(window.y + window.height))
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
                        guard fx >= left, fy >= top, fx < right, fy < bottom else { continue }
                        let from = (Int(fy) - window.y) * window.width + Int(fx) - window.x, to = y * outWidth + x
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
        let columns = Self.axisTable(back.a, back.c, count: outWidth, within: window.x..<(window.x + window.width))
        let rows = Self.axisTable(back.e, back.f, count: outHeight, within: window.y..<(window.y + window.height))
        // The columns inside the source are one run (the map is monotonic in x): no test per pixel.
        guard let first = columns.firstIndex(where: { $0 >= 0 }), let last = columns.lastIndex(where: { $0 >= 0 }) else { return }
        let run = columns[first...last].allSatisfy { $0 >= 0 }
        let plane = window.width * window.height, outPlane = outWidth * outHeight
        var previous = (source: -1, output: -1)
        values.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                columns.withUnsafeBufferPointer { columns in
                    for y in 0..<outHeight where rows[y] >= 0 {
                        let sourceRow = rows[y]
                        for p in 0..<planes {
                            let to = target.baseAddress! + p * outPlane + y * outWidth
                            if sourceRow == previous.source {   // an enlarged row: the row above again
                                to.update(from: target.baseAddress! + p * outPlane + previous.output * outWidth, count: outWidth)
                                continue
                            }
                            let from = source.baseAddress! + p * plane + sourceRow * window.width
                            if run {
                                for x in first...last { to[x] = from[columns[x]] }
                            } else {
                                for x in first...last where columns[x] >= 0 { to[x] = from[columns[x]] }
                            }
                        }
                        previous = (sourceRow, y)
                    }
                }
            }
        }
    }
}
