import Imaging
import Testing
@testable import Augmentation

/// A rotation or an affine map after a crop fills what lies beyond the crop, as torchvision
/// (which crops first) does, in the one fused warp: at full scale, from a decoded window, at a
/// reduced (DCT) decoding scale, and for the mask that follows the image. torchvision's own
/// outputs for these sequences are in `TorchvisionOpsTests` (`crop_rotate_bilinear`, ...).
@Suite struct CropBoundsTests {
    static let (width, height) = (40, 32)

    /// 0 inside the crop rectangle (x 8..<28, y 4..<20), 255 beyond it.
    static func framed(scale: Int = 1) throws -> Image {
        let (w, h) = (width / scale, height / scale)
        var pixels = [UInt8](repeating: 255, count: w * h * 3)
        for y in 0..<h where (4..<20).contains(y * scale) {
            for x in 0..<w where (8..<28).contains(x * scale) {
                for c in 0..<3 { pixels[(y * w + x) * 3 + c] = 0 }
            }
        }
        return try Image(width: w, height: h, channels: 3, pixels: pixels)
    }

    static func cut(_ image: Image, x: Int, y: Int, width: Int, height: Int) throws -> Image {
        var rows = [UInt8]()
        for row in y..<(y + height) {
            let start = (row * image.width + x) * 3
            rows += image.pixels[start..<(start + width * 3)]
        }
        return try Image(width: width, height: height, channels: 3, pixels: rows)
    }

    static func cropThenRotate() -> SampleTransform {
        var t = SampleTransform(canvasWidth: width, canvasHeight: height)
        t.crop(top: 4, left: 8, height: 16, width: 20)
        t.rotate(angle: 33, interpolation: .bilinear)
        return t
    }

    static func render(_ region: DecodedRegion, _ t: SampleTransform) -> [Float] {
        var out = [Float](repeating: .nan, count: t.width * t.height * 3)
        out.withUnsafeMutableBufferPointer { TransformKernel.render(region, transform: t, into: $0) }
        return out
    }

    @Test func aRotatedCropReadsNothingBeyondTheCrop() throws {
        let t = Self.cropThenRotate()
        #expect(t.bounds == CanvasRect(x: 8, y: 4, width: 20, height: 16) && t.window == nil)
        for scale in [1, 2] {
            let image = try Self.framed(scale: scale)
            let whole = DecodedRegion(image: image, x: 0, y: 0, fullWidth: image.width, fullHeight: image.height)
            let out = Self.render(whole, t)
            #expect(out.allSatisfy { $0 == 0 }, "scale 1/\(scale): largest value \(out.max()!)")
            // A decoder that honoured the crop delivers the window alone: the same pixels.
            let (x, y) = (8 / scale, 4 / scale)
            let window = DecodedRegion(image: try Self.cut(image, x: x, y: y, width: 20 / scale, height: 16 / scale),
                                       x: x, y: y, fullWidth: image.width, fullHeight: image.height)
            #expect(Self.render(window, t) == out, "scale 1/\(scale)")
        }
    }

    @Test func recipesWithoutACropBeforeTheRotationReadTheWholeCanvas() throws {
        var t = SampleTransform(canvasWidth: Self.width, canvasHeight: Self.height)
        t.rotate(angle: 33, interpolation: .bilinear)
        t.crop(top: 4, left: 8, height: 16, width: 20)
        #expect(t.bounds == CanvasRect(x: 0, y: 0, width: Self.width, height: Self.height))
        let image = try Self.framed()
        let out = Self.render(DecodedRegion(image: image, x: 0, y: 0, fullWidth: Self.width, fullHeight: Self.height), t)
        #expect(out.contains(255), "the rotated canvas shows beyond the later crop")
    }

    @Test func theMaskIsCroppedBeforeItRotates() throws {
        let t = Self.cropThenRotate()
        let mask = try SegmentationMask(classMap: [UInt16](repeating: 1, count: Self.width * Self.height),
                                        width: Self.width, height: Self.height)
        // A strip x 0..<12 of which the crop keeps x 8..<12 (0..<4 of the crop).
        let boxes = try BoundingBoxes(format: .xyxy, coordinates: [0, 0, 12, Double(Self.height)], labels: [3])
        let moved = try TransformTargets.apply(t, to: SampleTargets(mask: mask, boxes: boxes), options: TargetOptions())
        let values = try #require(moved.mask).values
        // The corners of the output lie beyond the rotated crop: ignored, not the class.
        for p in [0, t.width - 1, (t.height - 1) * t.width, t.height * t.width - 1] {
            #expect(values[p] == SegmentationMask.defaultIgnoreIndex)
        }
        #expect(values[(t.height / 2) * t.width + t.width / 2] == 1)
        // Clipped to the crop first, the 4 × 16 strip rotated by 33° is at most 4 cos 33° + 16 sin 33°
        // = 12.07 wide; rotating the unclipped strip would give 13.7 inside the output.
        let box = try #require(moved.boxes).coordinates
        #expect(box.count == 4 && box[2] - box[0] <= 12.1, "\(box)")
    }
}
