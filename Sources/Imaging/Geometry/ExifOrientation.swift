extension CodecDecoder.Raster {
    /// The raster turned upright as its EXIF orientation (2...8) says, with
    /// the same transposes as Pillow's `ImageOps.exif_transpose`.
    /// - Complexity: O(width × height).
    func reoriented() -> Self {
        let w = width, h = height, c = channels
        let swapsAxes = orientation >= 5
        let outWidth = swapsAxes ? h : w, outHeight = swapsAxes ? w : h
        // Source (x, y) of output pixel (ox, oy).
        let source: (Int, Int) -> (Int, Int) = switch orientation {
        case 2: { ox, oy in (w - 1 - ox, oy) }
        case 3: { ox, oy in (w - 1 - ox, h - 1 - oy) }
        case 4: { ox, oy in (ox, h - 1 - oy) }
        case 5: { ox, oy in (oy, ox) }
        case 6: { ox, oy in (oy, h - 1 - ox) }
        case 7: { ox, oy in (w - 1 - oy, h - 1 - ox) }
        case 8: { ox, oy in (w - 1 - oy, ox) }
        default: { ox, oy in (ox, oy) }
        }
        var out = samples
        samples.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                var index = 0
                for oy in 0..<outHeight {
                    for ox in 0..<outWidth {
                        let (sx, sy) = source(ox, oy)
                        let from = (sy * w + sx) * c
                        for k in 0..<c { output[index + k] = input[from + k] }
                        index += c
                    }
                }
            }
        }
        return Self(width: outWidth, height: outHeight, channels: c, samples: out, format: format, orientation: 1)
    }
}
