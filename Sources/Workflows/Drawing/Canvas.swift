import Imaging

/// An 8-bit RGB colour.
public struct RGB: Sendable, Equatable {
    public var red: UInt8, green: UInt8, blue: UInt8
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }
    public static let white = RGB(255, 255, 255)
    public static let black = RGB(0, 0, 0)
    public static let gray = RGB(128, 128, 128)
    public static let lightGray = RGB(225, 225, 225)
}

/// A small RGB raster to draw charts and contact sheets on; ``image`` is the result.
///
/// ```swift
/// var canvas = Canvas(width: 64, height: 16, background: .white)
/// canvas.drawText("loss", x: 2, y: 3, color: .black)
/// let png = canvas.image
/// ```
public struct Canvas: Sendable {
    /// The pixels drawn so far (3 channels).
    public private(set) var image: Image

    public init(width: Int, height: Int, background: RGB = .white) {
        image = Image(width: width, height: height, channels: 3)
        fill(x: 0, y: 0, width: width, height: height, color: background)
    }

    public var width: Int { image.width }
    public var height: Int { image.height }

    /// Sets one pixel; points outside the canvas are ignored.
    public mutating func plot(x: Int, y: Int, color: RGB) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let base = (y * width + x) * 3
        image.pixels[base] = color.red
        image.pixels[base + 1] = color.green
        image.pixels[base + 2] = color.blue
    }

    /// Fills a rectangle, clipped to the canvas.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: RGB) {
        for row in max(0, y)..<max(max(0, y), min(height, y + h)) {
            for column in max(0, x)..<max(max(0, x), min(width, x + w)) {
                plot(x: column, y: row, color: color)
            }
        }
    }

    /// A straight line from (x0, y0) to (x1, y1), `thickness` pixels wide (Bresenham).
    public mutating func drawLine(x0: Int, y0: Int, x1: Int, y1: Int, color: RGB, thickness: Int = 1) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        let half = (thickness - 1) / 2
        while true {
            fill(x: x - half, y: y - half, width: thickness, height: thickness, color: color)
            if x == x1 && y == y1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// Draws `text` with its top-left corner at (x, y) in the 6×10 fixed font,
    /// each font pixel `scale` canvas pixels wide. Characters outside printable ASCII show as '?'.
    public mutating func drawText(_ text: String, x: Int, y: Int, color: RGB, scale: Int = 1) {
        var cursor = x
        for character in text.unicodeScalars {
            let rows = FixedFont6x10.rows(for: character)
            for (row, bits) in rows.enumerated() {
                for column in 0..<FixedFont6x10.width where bits & (1 << (FixedFont6x10.width - 1 - column)) != 0 {
                    fill(x: cursor + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
            cursor += FixedFont6x10.width * scale
        }
    }

    /// Copies `source` with its top-left corner at (x, y), clipped to the canvas.
    /// Gray sources are expanded to RGB; alpha is composited over what is there.
    public mutating func draw(_ source: Image, x: Int, y: Int) {
        for row in 0..<source.height {
            for column in 0..<source.width {
                let cx = x + column, cy = y + row
                guard cx >= 0, cy >= 0, cx < width, cy < height else { continue }
                let s = (row * source.width + column) * source.channels
                let color: RGB
                let alpha: Int
                switch source.channels {
                case 1: color = RGB(source.pixels[s], source.pixels[s], source.pixels[s]); alpha = 255
                case 2: color = RGB(source.pixels[s], source.pixels[s], source.pixels[s]); alpha = Int(source.pixels[s + 1])
                case 3: color = RGB(source.pixels[s], source.pixels[s + 1], source.pixels[s + 2]); alpha = 255
                default:
                    color = RGB(source.pixels[s], source.pixels[s + 1], source.pixels[s + 2])
                    alpha = Int(source.pixels[s + 3])
                }
                plot(x: cx, y: cy, color: alpha == 255 ? color : blend(color, over: cy * width + cx, alpha: alpha))
            }
        }
    }

    /// Blends `color` over one pixel with `alpha` (0 transparent … 255 opaque); points outside are ignored.
    public mutating func tint(x: Int, y: Int, color: RGB, alpha: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        plot(x: x, y: y, color: blend(color, over: y * width + x, alpha: alpha))
    }

    private func blend(_ color: RGB, over index: Int, alpha: Int) -> RGB {
        func mix(_ top: UInt8, _ bottom: UInt8) -> UInt8 {
            UInt8((Int(top) * alpha + Int(bottom) * (255 - alpha) + 127) / 255)
        }
        let base = index * 3
        return RGB(mix(color.red, image.pixels[base]),
                   mix(color.green, image.pixels[base + 1]),
                   mix(color.blue, image.pixels[base + 2]))
    }
}
