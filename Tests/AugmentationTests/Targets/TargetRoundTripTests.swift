import Testing
import Imaging
@testable import Augmentation

/// The targets computed by the target kernels agree with what the image kernel does to
/// drawn shapes: a rectangle (box IoU ≥ 0.9 without rotation, mask agreement ≥ 99%)
/// and a small disc (keypoint within 1 px of the warped disc's centroid); under rotation
/// the mapped box encloses the drawn one.
@Suite struct TargetRoundTripTests {
    static let transforms: [Transform] = [
        Transform(tx: 4, ty: -3),
        Transform(zx: 0.8, zy: 1.2),
        Transform(tx: -2, flipHorizontal: true),
        Transform(shear: 8, zx: 1.1, zy: 0.9),
        Transform(flipVertical: true),
    ]
    static let rotations: [Transform] = [Transform(theta: 25), Transform(theta: -40, tx: 3, zx: 0.9, zy: 0.9)]
    static let width = 96
    static let height = 80
    static let box = (x0: 20.0, y0: 16.0, x1: 70.0, y1: 60.0)

    /// Renders a white-on-black grey image through the exact kernel; returns the
    /// output and the warp the targets see.
    private func render(_ image: Image, _ transform: Transform, outWidth: Int, outHeight: Int) throws -> ([Float], TargetWarp) {
        var config = AugmentationConfig()
        config.fillMode = .constant
        let augmenter = try Augmenter(config: config, outputHeight: outHeight, outputWidth: outWidth)
        let back = AffineMap.exact(transform, width: outWidth, height: outHeight,
                                   sourceWidth: image.width, sourceHeight: image.height)
        let matrix = try #require(TargetAffine(outputToSource: TargetAffine(a: back.a, b: back.b, c: back.c,
                                                                            d: back.d, e: back.e, f: back.f)))
        let warp = TargetWarp(matrix: matrix, sourceWidth: image.width, sourceHeight: image.height,
                              outputWidth: outWidth, outputHeight: outHeight,
                              mirrorsHorizontally: transform.flipHorizontal)
        return (augmenter.render(image, transform: transform), warp)
    }

    private func rectangleImage() throws -> Image {
        var pixels = [UInt8](repeating: 0, count: Self.width * Self.height)
        for y in Int(Self.box.y0)..<Int(Self.box.y1) {
            for x in Int(Self.box.x0)..<Int(Self.box.x1) { pixels[y * Self.width + x] = 255 }
        }
        return try Image(width: Self.width, height: Self.height, channels: 1, pixels: pixels)
    }

    /// The measured box has whole-pixel edges, the mapped one sub-pixel edges: IoU ≥ 0.9
    /// needs boxes of some 30 px or more.
    @Test(arguments: transforms, [(96, 80), (72, 60)])
    func boxFollowsTheDrawnRectangle(_ transform: Transform, _ size: (Int, Int)) throws {
        let (output, warp) = try render(rectangleImage(), transform, outWidth: size.0, outHeight: size.1)
        var measured = (x0: Double.infinity, y0: Double.infinity, x1: -Double.infinity, y1: -Double.infinity)
        for y in 0..<size.1 {
            for x in 0..<size.0 where output[y * size.0 + x] > 127.5 {
                measured = (min(measured.x0, Double(x)), min(measured.y0, Double(y)),
                            max(measured.x1, Double(x + 1)), max(measured.y1, Double(y + 1)))
            }
        }
        let boxes = try BoundingBoxes(format: .xyxy, coordinates: [Self.box.x0, Self.box.y0, Self.box.x1, Self.box.y1],
                                      labels: [7])
        let moved = boxes.warped(by: warp)
        try #require(moved.labels == [7])
        let c = moved.coordinates
        let intersection = max(0, min(c[2], measured.x1) - max(c[0], measured.x0))
            * max(0, min(c[3], measured.y1) - max(c[1], measured.y0))
        let union = (c[2] - c[0]) * (c[3] - c[1]) + (measured.x1 - measured.x0) * (measured.y1 - measured.y0) - intersection
        #expect(intersection / union >= 0.9, "box \(c) vs measured \(measured)")
    }

    @Test(arguments: rotations)
    func rotatedBoxEnclosesTheDrawnRectangle(_ transform: Transform) throws {
        let (output, warp) = try render(rectangleImage(), transform, outWidth: Self.width, outHeight: Self.height)
        let boxes = try BoundingBoxes(format: .xyxy, coordinates: [Self.box.x0, Self.box.y0, Self.box.x1, Self.box.y1],
                                      labels: [7])
        let c = try #require(boxes.warped(by: warp).coordinates.count == 4 ? boxes.warped(by: warp).coordinates : nil)
        for y in 0..<Self.height {
            for x in 0..<Self.width where output[y * Self.width + x] > 127.5 {
                #expect(Double(x) >= c[0] - 0.5 && Double(x + 1) <= c[2] + 0.5 && Double(y) >= c[1] - 0.5
                        && Double(y + 1) <= c[3] + 0.5, "pixel (\(x), \(y)) outside \(c)")
            }
        }
    }

    @Test(arguments: transforms + rotations)
    func maskAgreesWithTheWarpedImage(_ transform: Transform) throws {
        let image = try rectangleImage()
        let (output, warp) = try render(image, transform, outWidth: Self.width, outHeight: Self.height)
        let mask = try SegmentationMask(classMap: image.pixels.map { $0 > 0 ? 1 : 0 }, width: Self.width, height: Self.height)
        let moved = mask.warped(by: warp, fill: 0)
        let agreeing = zip(moved.values, output).filter { ($0 == 1) == ($1 > 127.5) }.count
        #expect(Double(agreeing) >= 0.99 * Double(output.count))
    }

    @Test(arguments: transforms + rotations)
    func keypointFollowsTheDrawnDisc(_ transform: Transform) throws {
        let centre = (x: 20.0, y: 17.0)
        var pixels = [UInt8](repeating: 0, count: Self.width * Self.height)
        for y in 0..<Self.height {
            for x in 0..<Self.width where (Double(x) - centre.x) * (Double(x) - centre.x) + (Double(y) - centre.y) * (Double(y) - centre.y) <= 9 {
                pixels[y * Self.width + x] = 255
            }
        }
        let (output, warp) = try render(try Image(width: Self.width, height: Self.height, channels: 1, pixels: pixels),
                                        transform, outWidth: Self.width, outHeight: Self.height)
        var (sum, sx, sy) = (0.0, 0.0, 0.0)
        for y in 0..<Self.height {
            for x in 0..<Self.width {
                let v = Double(output[y * Self.width + x])
                (sum, sx, sy) = (sum + v, sx + v * Double(x), sy + v * Double(y))
            }
        }
        let point = try Keypoints([Keypoint(x: centre.x, y: centre.y)]).warped(by: warp).points[0]
        #expect(point.visible)
        #expect(abs(point.x - sx / sum) <= 1 && abs(point.y - sy / sum) <= 1, "\(point) vs (\(sx / sum), \(sy / sum))")
    }
}
