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
        #expect(image.height == 2 + 2 * (ContactSheet.labelHeight + 8 + 2))
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
