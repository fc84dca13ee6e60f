import Augmentation
import Imaging

/// Draws a sample's targets over its image for contact sheets: a translucent colour per
/// mask class (the ignore index dark grey), box outlines with their class names, and
/// keypoints as small squares (visible ones only). Colours follow the label.
enum TargetOverlay {
    static let palette: [RGB] = [RGB(230, 25, 75), RGB(60, 180, 75), RGB(255, 225, 25), RGB(0, 130, 200),
                                 RGB(245, 130, 48), RGB(145, 30, 180), RGB(70, 240, 240), RGB(240, 50, 230),
                                 RGB(210, 245, 60), RGB(250, 190, 212)]

    /// `image` (any channel count) as RGB with `targets` drawn on it.
    static func draw(_ targets: SampleTargets, on image: Image, classNames: [String], ignoreIndex: UInt16) -> Image {
        var canvas = Canvas(width: image.width, height: image.height, background: .black)
        canvas.draw(image, x: 0, y: 0)
        if let mask = targets.mask, mask.width == image.width, mask.height == image.height {
            for plane in 0..<mask.planeCount {
                for y in 0..<mask.height {
                    for x in 0..<mask.width {
                        let value = mask[x, y, plane]
                        guard value != 0 else { continue }
                        let color = mask.layout == .instances ? palette[plane % palette.count]
                            : value == ignoreIndex ? RGB(40, 40, 40) : palette[(Int(value) - 1) % palette.count]
                        canvas.tint(x: x, y: y, color: color, alpha: 110)
                    }
                }
            }
        }
        if let boxes = targets.boxes {
            for index in 0..<boxes.count {
                let c = boxes.pixelCorners(index, width: image.width, height: image.height)
                let color = palette[boxes.labels[index] % palette.count]
                let (x0, y0) = (Int(c.x0.rounded()), Int(c.y0.rounded()))
                let (x1, y1) = (max(x0, Int(c.x1.rounded()) - 1), max(y0, Int(c.y1.rounded()) - 1))
                canvas.drawLine(x0: x0, y0: y0, x1: x1, y1: y0, color: color)
                canvas.drawLine(x0: x0, y0: y1, x1: x1, y1: y1, color: color)
                canvas.drawLine(x0: x0, y0: y0, x1: x0, y1: y1, color: color)
                canvas.drawLine(x0: x1, y0: y0, x1: x1, y1: y1, color: color)
                let label = boxes.labels[index]
                let name = classNames.indices.contains(label) ? classNames[label] : "\(label)"
                let textY = y0 >= FixedFont6x10.height ? y0 - FixedFont6x10.height : y0 + 1
                canvas.drawText(name, x: x0 + 1, y: textY, color: color)
            }
        }
        for (instance, points) in targets.keypoints.enumerated() {
            for point in points.points where point.visible {
                let (x, y) = (Int(point.x.rounded()), Int(point.y.rounded()))
                canvas.fill(x: x - 1, y: y - 1, width: 3, height: 3, color: palette[(instance + 3) % palette.count])
            }
        }
        return canvas.image
    }

    /// The warp of the preview's first tile: the original stretched to the output size.
    static func stretch(width: Int, height: Int, toWidth outWidth: Int, height outHeight: Int) -> TargetWarp {
        let sx = Double(outWidth) / Double(width), sy = Double(outHeight) / Double(height)
        return TargetWarp(matrix: TargetAffine(a: sx, b: 0, c: 0.5 * sx - 0.5, d: 0, e: sy, f: 0.5 * sy - 0.5),
                          sourceWidth: width, sourceHeight: height, outputWidth: outWidth, outputHeight: outHeight)
    }
}
