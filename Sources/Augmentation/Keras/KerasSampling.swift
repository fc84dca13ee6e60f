/// A source of pixel values for the Keras sampler: `rows × columns × channels`, read by index.
protocol KerasPixelSource {
    var rows: Int { get }
    var columns: Int { get }
    var channels: Int { get }
    func value(row: Int, column: Int, channel: Int) -> Double
}

/// scipy's `ndimage.affine_transform` sampling rules as Keras uses them (order 0/1, legacy
/// modes), shared by ``KerasAffine`` and the ``Augmenter``'s `.keras` mode.
///
/// - `constant`: a coordinate < 0 or > n-1 on either axis gives exactly `cval` (no blending).
/// - `nearest`: clamp to [0, n-1]. `reflect`: half-sample symmetric, period 2n.
/// - `wrap`: scipy's legacy wrap, period n-1 (columns 0 and n-1 coincide).
/// - Order 0: `floor(x' + 0.5)` (ties up). Order 1: bilinear on the mapped coordinate;
///   neighbour indices outside [0, n-1] read the edge.
struct KerasSampling: Sendable {
    let fill: FillMode
    let order: InterpolationOrder
    let cval: Double

    /// Maps a coordinate on an axis of length `n` with the fill mode (not `constant`).
    @inline(__always)
    func mapped(_ x: Double, _ n: Int) -> Double {
        let last = Double(n - 1)
        switch fill {
        case .constant:
            return x
        case .nearest:
            return min(max(x, 0), last)
        case .reflect:
            let period = 2 * Double(n)
            var y = x.truncatingRemainder(dividingBy: period)
            if y < 0 { y += period }
            return y >= Double(n) ? period - 1 - y : y
        case .mirror:
            guard n > 1 else { return 0 }
            let period = 2 * last
            var y = x.truncatingRemainder(dividingBy: period)
            if y < 0 { y += period }
            return y > last ? period - y : y
        case .wrap:
            guard n > 1 else { return 0 }
            if x < 0 { return x + last * ((-x / last).rounded(.towardZero) + 1) }
            if x > last { return x - last * (x / last).rounded(.towardZero) }
            return x
        }
    }

    /// Calls `write(channel, value)` for every channel of the sample at (row, column).
    @inline(__always)
    func sample<S: KerasPixelSource>(_ source: S, row: Double, column: Double,
                                     write: (Int, Double) -> Void) {
        let rows = source.rows, columns = source.columns
        if fill == .constant,
           row < 0 || row > Double(rows - 1) || column < 0 || column > Double(columns - 1) {
            for ch in 0..<source.channels { write(ch, cval) }
            return
        }
        let r = mapped(row, rows), c = mapped(column, columns)
        @inline(__always) func clampIndex(_ i: Int, _ n: Int) -> Int { min(max(i, 0), n - 1) }
        switch order {
        case .nearest:
            let ri = clampIndex(Int((r + 0.5).rounded(.down)), rows)
            let ci = clampIndex(Int((c + 0.5).rounded(.down)), columns)
            for ch in 0..<source.channels { write(ch, source.value(row: ri, column: ci, channel: ch)) }
        case .bilinear:
            let r0 = r.rounded(.down), c0 = c.rounded(.down)
            let fr = r - r0, fc = c - c0
            let ri0 = clampIndex(Int(r0), rows), ri1 = clampIndex(Int(r0) + 1, rows)
            let ci0 = clampIndex(Int(c0), columns), ci1 = clampIndex(Int(c0) + 1, columns)
            for ch in 0..<source.channels {
                let top = (1 - fc) * source.value(row: ri0, column: ci0, channel: ch)
                    + fc * source.value(row: ri0, column: ci1, channel: ch)
                let bottom = (1 - fc) * source.value(row: ri1, column: ci0, channel: ch)
                    + fc * source.value(row: ri1, column: ci1, channel: ch)
                write(ch, (1 - fr) * top + fr * bottom)
            }
        }
    }
}
