import Testing
import Imaging
@testable import Workflows

@Suite struct DrawingTests {
    @Test func textSetsOnlyGlyphPixels() {
        var canvas = Canvas(width: 12, height: 10, background: .white)
        canvas.drawText("A", x: 0, y: 0, color: .black)
        // 'A' in misc-fixed 6x10: row 1 is ..#... (0x08), row 5 is #####. (0x3E).
        #expect(canvas.image[1, 2, 0] == 0)
        #expect(canvas.image[1, 1, 0] == 255)
        #expect((0..<5).allSatisfy { canvas.image[5, $0, 0] == 0 })
        #expect(canvas.image[5, 5, 0] == 255)
        // The second cell is untouched.
        #expect((0..<10).allSatisfy { row in (6..<12).allSatisfy { canvas.image[row, $0, 1] == 255 } })
    }

    @Test func lineCoversBothEndpoints() {
        var canvas = Canvas(width: 8, height: 8, background: .white)
        canvas.drawLine(x0: 1, y0: 6, x1: 6, y1: 1, color: .black)
        #expect(canvas.image[6, 1, 0] == 0)
        #expect(canvas.image[1, 6, 0] == 0)
        #expect(canvas.image[3, 4, 0] == 0)
        #expect(canvas.image[0, 0, 0] == 255)
    }

    @Test func alphaTilesBlendOverTheCanvas() throws {
        var canvas = Canvas(width: 1, height: 1, background: .white)
        canvas.draw(try Image(width: 1, height: 1, channels: 4, pixels: [0, 0, 0, 128]), x: 0, y: 0)
        #expect(canvas.image.pixels == [127, 127, 127])
    }

    @Test func contactSheetSizeFollowsItsGrid() throws {
        let tile = Image(width: 10, height: 8, channels: 1)
        let sheet = ContactSheet(rows: [
            .init(label: "a.png", tiles: [tile, tile, tile]),
            .init(label: "b.png", tiles: [tile, tile]),
        ], gap: 2)
        let image = sheet.render()
        #expect(image.width == 2 + 3 * (10 + 2))
        #expect(image.height == 2 + 2 * (sheet.labelHeight + 8 + 2))
        #expect(image.channels == 3)
    }

    @Test func chartPlotsSeriesColours() {
        let chart = LineChart(title: "loss", series: [.init(name: "loss", values: [1, 0.5, 0.25], color: .orange)])
        let image = chart.render(width: 200, height: 120)
        #expect(image.width == 200 && image.height == 120)
        let orange = stride(from: 0, to: image.pixels.count, by: 3).contains {
            image.pixels[$0] == 255 && image.pixels[$0 + 1] == 127 && image.pixels[$0 + 2] == 14
        }
        #expect(orange)
    }
}

/// Round axis ticks and label sizes that grow with what they label.
@Suite struct ChartLegibilityTests {
    @Test func ticksAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect([0.03, 0.1, 0.11, 0.3, 1, 1.2, 3, 7, 40].map(AxisTicks.roundStep(atLeast:))
            == [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 50])
        // The example axis (0.568, 1.14, 2.27 before).
        let loss = AxisTicks(covering: 0.568, 2.27, maxIntervals: 5)
        #expect(loss.step == 0.5 && loss.values == [0.5, 1, 1.5, 2, 2.5])
        #expect(loss.values.map(loss.label) == ["0.5", "1.0", "1.5", "2.0", "2.5"])
        let accuracy = AxisTicks(covering: 0.181, 0.99, maxIntervals: 5)
        #expect(accuracy.values.map(accuracy.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let epochs = AxisTicks(covering: 1, 38, maxIntervals: 8)
        #expect(epochs.step == 5 && epochs.values.map(epochs.label).first == "0")
    }

    @Test func contactSheetLabelsGrowWithTheCells() {
        func sheet(_ side: Int) -> ContactSheet {
            ContactSheet(rows: [.init(label: "a.png", tiles: [Image(width: side, height: side, channels: 1)])])
        }
        #expect([28, 96, 160, 224].map { sheet($0).labelScale } == [1, 2, 3, 3])
        #expect(sheet(28).labelHeight == 14 && sheet(224).labelHeight == 34)
    }

    @Test func chartTextDoublesFromSixHundredFortyByFourHundred() {
        let chart = LineChart(title: "loss", series: [.init(name: "loss", values: [1, 0.5, 0.25], color: .orange)])
        /// Rows holding any dark (text or axis) pixel within the title band.
        func titleRows(_ image: Image) -> Int {
            (0..<24).filter { row in (0..<image.width).contains { image[row, $0, 0] < 128 } }.count
        }
        #expect(titleRows(chart.render(width: 480, height: 320)) <= 10)
        #expect(titleRows(chart.render(width: 640, height: 400)) > 10)
    }
}
