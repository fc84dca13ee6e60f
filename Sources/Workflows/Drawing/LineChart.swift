import Foundation
import Imaging

/// A line chart of per-epoch values, drawn with ``Canvas`` (no plotting library).
///
/// ```swift
/// let chart = LineChart(title: "loss", series: [.init(name: "loss", values: [0.9, 0.5, 0.3], color: .blue)])
/// let image = chart.render(width: 640, height: 400)
/// ```
public struct LineChart: Sendable {
    /// One named line; `values[i]` is plotted at x = i + 1. Non-finite values are skipped.
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public var color: RGB
        public init(name: String, values: [Double], color: RGB) {
            self.name = name
            self.values = values
            self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var series: [Series]

    public init(title: String, xLabel: String = "epoch", series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.series = series
    }

    /// Draws the chart on a white canvas of the given size.
    ///
    /// Text is drawn at a whole-number scale that grows with the canvas (1 up to 639 × 399,
    /// 2 from 640 × 400), so it stays legible at the size written. The value axis runs
    /// between round ticks (`AxisTicks`: steps of 1, 2 or 5 × 10ᵏ) that cover the data,
    /// and the epoch axis is labelled at multiples of such a step.
    public func render(width: Int = 640, height: Int = 400) -> Image {
        var canvas = Canvas(width: width, height: height)
        let scale = max(1, min(width / 320, height / 200))
        let glyphHeight = FixedFont6x10.height * scale, glyphWidth = FixedFont6x10.width * scale
        let top = 8 + 2 * glyphHeight + 16, bottom = 10 + 2 * glyphHeight + 8, right = 12 * scale
        let plotHeight = height - top - bottom

        let count = series.map(\.values.count).max() ?? 0
        let finite = series.flatMap(\.values).filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if high - low < 1e-12 { low -= 0.5; high += 0.5 }
        let ticks = AxisTicks(covering: low, high, maxIntervals: max(2, plotHeight / (5 * glyphHeight / 2)))
        (low, high) = (ticks.values.first!, ticks.values.last!)
        let labels = ticks.values.map(ticks.label)
        let left = 8 + (labels.map { FixedFont6x10.textWidth($0, scale: scale) }.max() ?? 0) + 6
        let plotWidth = width - left - right

        canvas.drawText(title, x: (width - FixedFont6x10.textWidth(title, scale: scale)) / 2, y: 8, color: .black,
                        scale: scale)
        canvas.drawText(xLabel, x: left + (plotWidth - FixedFont6x10.textWidth(xLabel, scale: scale)) / 2,
                        y: height - 4 - glyphHeight, color: .black, scale: scale)

        func px(_ index: Int) -> Int {
            count <= 1 ? left + plotWidth / 2 : left + index * plotWidth / (count - 1)
        }
        func py(_ value: Double) -> Int {
            top + Int(((high - value) / (high - low) * Double(plotHeight)).rounded())
        }

        for (value, label) in zip(ticks.values, labels) {
            let y = py(value)
            canvas.drawLine(x0: left, y0: y, x1: left + plotWidth, y1: y, color: .lightGray)
            canvas.drawText(label, x: left - 6 - FixedFont6x10.textWidth(label, scale: scale), y: y - glyphHeight / 2,
                            color: .black, scale: scale)
        }
        let epochStep = Int(AxisTicks.roundStep(atLeast: max(1, Double(count) / Double(max(1, plotWidth / (5 * glyphWidth))))))
        for epoch in stride(from: epochStep, through: count, by: epochStep) {
            let x = px(epoch - 1), label = String(epoch)
            canvas.drawLine(x0: x, y0: top + plotHeight, x1: x, y1: top + plotHeight + 3 * scale, color: .black)
            canvas.drawText(label, x: x - FixedFont6x10.textWidth(label, scale: scale) / 2,
                            y: top + plotHeight + 6 * scale, color: .black, scale: scale)
        }
        canvas.drawLine(x0: left, y0: top, x1: left, y1: top + plotHeight, color: .black)
        canvas.drawLine(x0: left, y0: top + plotHeight, x1: left + plotWidth, y1: top + plotHeight, color: .black)

        for line in series {
            var previous: (Int, Int)?
            for (index, value) in line.values.enumerated() {
                guard value.isFinite else { previous = nil; continue }
                let point = (px(index), py(value))
                if let previous {
                    canvas.drawLine(x0: previous.0, y0: previous.1, x1: point.0, y1: point.1,
                                    color: line.color, thickness: 2 * scale)
                }
                canvas.fill(x: point.0 - 2 * scale, y: point.1 - 2 * scale, width: 4 * scale + 1, height: 4 * scale + 1,
                            color: line.color)
                previous = point
            }
        }

        // The legend sits in the header, right-aligned under the title, clear of the lines.
        let legendY = 8 + glyphHeight + 8
        var legendX = width - right
        for line in series.reversed() {
            legendX -= FixedFont6x10.textWidth(line.name, scale: scale) + 22 * scale
            canvas.drawLine(x0: legendX, y0: legendY + glyphHeight / 2, x1: legendX + 16 * scale, y1: legendY + glyphHeight / 2,
                            color: line.color, thickness: 2 * scale)
            canvas.drawText(line.name, x: legendX + 20 * scale, y: legendY, color: .black, scale: scale)
            legendX -= 12 * scale
        }
        return canvas.image
    }
}

extension RGB {
    public static let blue = RGB(31, 119, 180)
    public static let orange = RGB(255, 127, 14)
}
