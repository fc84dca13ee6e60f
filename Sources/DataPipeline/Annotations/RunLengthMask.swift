/// COCO's run-length masks and polygons painted into a row-major plane, and
/// the compressed run-length string of a plane (what ``COCOReader`` reads back).
///
/// ```swift
/// RunLengthMask.compressed(plane: [0, 0, 1, 1], width: 2, height: 2)   // "22" (column-major runs 2, 2)
/// ```
public enum RunLengthMask {
    /// COCO's compressed counts string of a row-major 0/1 `plane` (any non-zero is 1):
    /// pycocotools' `encode` then `rleToString` (column-major runs starting with zeros,
    /// counts after the second as differences from the count two places back, 5-bit groups
    /// offset by 48 with a continuation bit).
    /// - Precondition: `plane.count == width × height`.
    public static func compressed(plane: [UInt8], width: Int, height: Int) -> String {
        precondition(plane.count == width * height, "a \(width)x\(height) plane needs \(width * height) values, got \(plane.count)")
        var runs = [Int](), current: UInt8 = 0, length = 0
        for x in 0..<width {
            for y in 0..<height {
                let value: UInt8 = plane[y * width + x] == 0 ? 0 : 1
                if value != current {
                    runs.append(length)
                    (current, length) = (value, 0)
                }
                length += 1
            }
        }
        runs.append(length)
        var text = [UInt8]()
        for (i, run) in runs.enumerated() {
            var x = i > 2 ? run - runs[i - 2] : run
            var more = true
            while more {
                var c = x & 0x1f
                x >>= 5
                more = c & 0x10 != 0 ? x != -1 : x != 0
                if more { c |= 0x20 }
                text.append(UInt8(c + 48))
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes COCO's compressed counts string (pycocotools' `rleFrString`: 5-bit groups
    /// offset by 48, a continuation bit, sign extension, and counts after the second
    /// stored as differences from the count two places back).
    static func counts(fromCompressed text: String) -> [Int]? {
        var counts = [Int]()
        let bytes = Array(text.utf8)
        var p = 0
        while p < bytes.count {
            var x = 0, k = 0, more = true
            while more {
                guard p < bytes.count, bytes[p] >= 48 else { return nil }
                let c = Int(bytes[p]) - 48
                x |= (c & 0x1f) << (5 * k)
                more = c & 0x20 != 0
                p += 1
                k += 1
                if !more && c & 0x10 != 0 { x |= -1 << (5 * k) }
            }
            if counts.count > 2 { x += counts[counts.count - 2] }
            counts.append(x)
        }
        return counts
    }

    /// Whether `counts` are non-negative run lengths adding up to `width × height` (without
    /// overflowing on hostile input).
    static func covers(_ counts: [Int], width: Int, height: Int) -> Bool {
        var total = 0
        for count in counts {
            guard count >= 0 else { return false }
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow, sum <= width * height else { return false }
            total = sum
        }
        return total == width * height
    }

    /// Sets `value` at every pixel of the run-length `counts` (checked by ``covers(_:width:height:)``)
    /// in the row-major `plane`.
    static func paint<T>(counts: [Int], value: T, into plane: UnsafeMutableBufferPointer<T>, width: Int, height: Int) {
        var index = 0
        for (run, count) in counts.enumerated() {
            if run % 2 == 1 {
                for i in index..<(index + count) { plane[(i % height) * width + i / height] = value }
            }
            index += count
        }
    }

    /// Sets `value` at every pixel of `polygon` (x0, y0, x1, y1, ... in edge coordinates, at
    /// least 3 finite points) by the even-odd rule at pixel centres, in the row-major `plane`:
    /// only the rows the polygon spans are visited.
    static func paint<T>(polygon: [Double], value: T, into plane: UnsafeMutableBufferPointer<T>, width: Int, height: Int) {
        let points = stride(from: 0, to: polygon.count - 1, by: 2).map { (polygon[$0], polygon[$0 + 1]) }
        let ys = points.map(\.1)
        // Clamped before the conversion: finite but huge coordinates must not trap.
        let top = max(0, Int(max(-1, min(Double(height), ((ys.min() ?? 0) - 0.5).rounded(.down)))))
        let bottom = min(height - 1, Int(max(-1, min(Double(height), ((ys.max() ?? -1) - 0.5).rounded(.up)))))
        guard top <= bottom else { return }
        var crossings = [Double]()
        crossings.reserveCapacity(points.count)
        for row in top...bottom {
            let y = Double(row) + 0.5
            crossings.removeAll(keepingCapacity: true)
            for i in points.indices {
                let (x0, y0) = points[i], (x1, y1) = points[(i + 1) % points.count]
                if (y0 <= y) != (y1 <= y) { crossings.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0)) }
            }
            crossings.sort()
            for pair in stride(from: 0, to: crossings.count - 1, by: 2) {
                let first = max(0, Int(min(Double(width), (crossings[pair] - 0.5).rounded(.up))))
                let last = min(width - 1, Int(max(-1, (crossings[pair + 1] - 0.5).rounded(.up))) - 1)
                if first <= last { for column in first...last { plane[row * width + column] = value } }
            }
        }
    }
}
