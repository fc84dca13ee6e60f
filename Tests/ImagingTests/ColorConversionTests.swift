import Testing
@testable import Imaging

@Suite struct ColorConversionTests {
    @Test func lumaMatchesPillowFixedPoint() throws {
        // Hand-computed: (R*19595 + G*38470 + B*7471 + 0x8000) >> 16.
        let image = try Image(width: 3, height: 1, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 10, 20, 200])
        let gray = image.converted(to: .grayscale)
        #expect(gray.channels == 1)
        #expect(gray.pixels == [76, 150, 38])
    }

    @Test func alphaIsAddedOpaqueAndDroppedWithoutCompositing() throws {
        let gray = try Image(width: 2, height: 1, channels: 1, pixels: [7, 200])
        #expect(gray.converted(to: .rgba).pixels == [7, 7, 7, 255, 200, 200, 200, 255])
        #expect(gray.converted(to: .grayscaleAlpha).pixels == [7, 255, 200, 255])
        let rgba = try Image(width: 1, height: 1, channels: 4, pixels: [255, 0, 0, 9])
        #expect(rgba.converted(to: .rgb).pixels == [255, 0, 0])
        #expect(rgba.converted(to: .grayscaleAlpha).pixels == [76, 9])
        #expect(rgba.converted(to: .rgba) == rgba)
    }

    @Test func matchesPillowOnTheJPEGFixture() throws {
        // Pillow's convert("L") of the decoded baseline JPEG equals jpeg-gray's source only approximately,
        // so compare against the formula applied independently here.
        let image = try Image.decode(contentsOf: FixtureFiles.path("codecs", "jpeg-baseline.jpg"))
        let gray = image.converted(to: .grayscale)
        for i in stride(from: 0, to: image.width * image.height, by: 7) {
            let r = Int(image.pixels[i * 3]), g = Int(image.pixels[i * 3 + 1]), b = Int(image.pixels[i * 3 + 2])
            #expect(Int(gray.pixels[i]) == (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
        }
    }
}
