import Foundation
import Imaging

/// A line chart of per-epoch values, drawn with ``Canvas`` (no plotting library).
///
/// ```swift
/// let chart = LineChart(title: "loss", series: [.init(name: "loss", values: [0.9, 0.5, 0.3], color: .blue)])
/// let image = chart.render(width: 480, height: 320)
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

    private static let left = 58, right = 12, top = 40, bottom = 34

    /// Draws the chart on a white canvas of the given size.
    public func render(width: Int = 480, height: Int = 320) -> Image {
        var canvas = Canvas(width: width, height: height)
        let plotWidth = width - Self.left - Self.right
        let plotHeight = height - Self.top - Self.bottom
        canvas.drawText(title, x: (width - FixedFont6x10.textWidth(title)) / 2, y: 8, color: .black)
        canvas.drawText(xLabel, x: Self.left + (plotWidth - FixedFont6x10.textWidth(xLabel)) / 2,
                        y: height - 12, color: .black)

        let count = series.map(\.values.count).max() ?? 0
        let finite = series.flatMap(\.values).filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if high - low < 1e-12 { low -= 0.5; high += 0.5 }
        let pad = (high - low) * 0.05
        low = low >= 0 ? max(0, low - pad) : low - pad
        high += pad

        func px(_ index: Int) -> Int {
            count <= 1 ? Self.left + plotWidth / 2 : Self.left + index * plotWidth / (count - 1)
        }
        func py(_ value: Double) -> Int {
            Self.top + Int(((high - value) / (high - low) * Double(plotHeight)).rounded())
        }

        for tick in 0...4 {
            let value = low + (high - low) * Double(tick) / 4
            let y = py(value)
            canvas.drawLine(x0: Self.left, y0: y, x1: Self.left + plotWidth, y1: y, color: .lightGray)
            let label = String(format: "%.3g", value)
            canvas.drawText(label, x: Self.left - 4 - FixedFont6x10.textWidth(label), y: y - 5, color: .black)
        }
        let step = max(1, Int((Double(count) / Double(max(1, plotWidth / 36))).rounded(.up)))
        for index in stride(from: 0, to: count, by: step) {
            let label = String(index + 1)
            canvas.drawLine(x0: px(index), y0: Self.top + plotHeight, x1: px(index), y1: Self.top + plotHeight + 3, color: .black)
            canvas.drawText(label, x: px(index) - FixedFont6x10.textWidth(label) / 2,
                            y: Self.top + plotHeight + 6, color: .black)
        }
        canvas.drawLine(x0: Self.left, y0: Self.top, x1: Self.left, y1: Self.top + plotHeight, color: .black)
        canvas.drawLine(x0: Self.left, y0: Self.top + plotHeight, x1: Self.left + plotWidth,
                        y1: Self.top + plotHeight, color: .black)

        for line in series {
            var previous: (Int, Int)?
            for (index, value) in line.values.enumerated() {
                guard value.isFinite else { previous = nil; continue }
                let point = (px(index), py(value))
                if let previous {
                    canvas.drawLine(x0: previous.0, y0: previous.1, x1: point.0, y1: point.1,
                                    color: line.color, thickness: 2)
                }
                canvas.fill(x: point.0 - 2, y: point.1 - 2, width: 5, height: 5, color: line.color)
                previous = point
            }
        }

        // The legend sits in the header, right-aligned under the title, clear of the lines.
        var legendX = width - Self.right
        for line in series.reversed() {
            legendX -= FixedFont6x10.textWidth(line.name) + 22
            canvas.drawLine(x0: legendX, y0: 27, x1: legendX + 16, y1: 27, color: line.color, thickness: 2)
            canvas.drawText(line.name, x: legendX + 20, y: 22, color: .black)
            legendX -= 12
        }
        return canvas.image
    }
}

extension RGB {
    public static let blue = RGB(31, 119, 180)
    public static let orange = RGB(255, 127, 14)
}
