import Imaging

/// A grid of images with a text label over each row: one row per input, the
/// original first, then its augmented variants.
///
/// Tiles are drawn at their own size, centred in cells as large as the largest
/// tile, so callers resize images to the cell size first. Labels grow with the
/// cells (``labelScale``), so they stay legible beside large tiles.
public struct ContactSheet: Sendable {
    /// One labelled row of tiles.
    public struct Row: Sendable {
        public var label: String
        public var tiles: [Image]
        public init(label: String, tiles: [Image]) {
            self.label = label
            self.tiles = tiles
        }
    }

    public var rows: [Row]
    /// Pixels between cells and around the sheet.
    public var gap: Int

    public init(rows: [Row], gap: Int = 6) {
        self.rows = rows
        self.gap = gap
    }

    /// The text scale of the labels: 1 for cells under 96 pixels high, 2 from 96, 3 from 144.
    public var labelScale: Int { min(3, max(1, cellSize.height / 48)) }

    /// The height of a label row, in pixels.
    public var labelHeight: Int { FixedFont6x10.height * labelScale + 4 }

    /// The cell size: the largest tile's width and height.
    public var cellSize: (width: Int, height: Int) {
        let tiles = rows.flatMap(\.tiles)
        return (tiles.map(\.width).max() ?? 1, tiles.map(\.height).max() ?? 1)
    }

    /// The sheet's pixel size for its rows and tiles.
    public var size: (width: Int, height: Int) {
        let cell = cellSize
        let columns = max(1, rows.map(\.tiles.count).max() ?? 1)
        return (gap + columns * (cell.width + gap),
                gap + rows.count * (labelHeight + cell.height + gap))
    }

    /// Draws the sheet (RGB, white background; alpha tiles over a checkerboard-free white).
    public func render() -> Image {
        let cell = cellSize
        let (width, height) = size
        let scale = labelScale
        var canvas = Canvas(width: width, height: max(height, 1))
        var y = gap
        for row in rows {
            let label = Self.fit(row.label, width: width - 2 * gap, scale: scale)
            canvas.drawText(label, x: gap, y: y + 1, color: .black, scale: scale)
            y += labelHeight
            for (column, tile) in row.tiles.enumerated() {
                let x = gap + column * (cell.width + gap)
                canvas.fill(x: x, y: y, width: cell.width, height: cell.height, color: .lightGray)
                canvas.draw(tile, x: x + (cell.width - tile.width) / 2, y: y + (cell.height - tile.height) / 2)
            }
            y += cell.height + gap
        }
        return canvas.image
    }

    /// Shortens `text` with a leading ellipsis so it fits `width` pixels at text scale `scale`.
    static func fit(_ text: String, width: Int, scale: Int) -> String {
        let limit = max(4, width / (FixedFont6x10.width * scale))
        guard text.count > limit else { return text }
        return "..." + text.suffix(limit - 3)
    }
}
