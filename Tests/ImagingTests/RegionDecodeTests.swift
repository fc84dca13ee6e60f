import Foundation
import Testing
import TestSupport
@testable import Imaging

/// `DecodeOptions.crop`: libjpeg-turbo decodes only the window's rows and columns.
@Suite struct RegionDecodeTests {
    static let bytes = [UInt8](try! Data(contentsOf: RepositoryFiles.url("samples/photos/animals/chelsea.jpg")))

    func window(_ image: Image, x: Int, y: Int, width: Int, height: Int) -> [UInt8] {
        var pixels: [UInt8] = []
        for row in y..<(y + height) {
            let start = (row * image.width + x) * image.channels
            pixels += image.pixels[start..<(start + width * image.channels)]
        }
        return pixels
    }

    /// At full scale the window equals the same window of the full decode, byte for byte.
    @Test func fullScaleWindowEqualsTheFullDecodesWindow() throws {
        let full = try Image.decode(Self.bytes)
        for (x, y, w, h) in [(37, 21, 150, 100), (0, 0, 256, 1), (200, 150, 56, 20), (17, 3, 5, 160), (9, 17, 31, 33), (100, 77, 60, 50), (240, 160, 16, 10), (131, 99, 1, 1)] {
            var options = DecodeOptions()
            options.crop = (x, y, w, h)
            let region = try Image.decodeRegion(Self.bytes, options: options)
            #expect((region.x, region.y, region.fullWidth, region.fullHeight) == (x, y, full.width, full.height))
            #expect((region.image.width, region.image.height) == (w, h))
            let expected = window(full, x: x, y: y, width: w, height: h)
            let diffs = zip(region.image.pixels, expected).enumerated().filter { $0.element.0 != $0.element.1 }
            let rows = Set(diffs.map { $0.offset / (w * 3) }).sorted()
            let worst = diffs.map { abs(Int($0.element.0) - Int($0.element.1)) }.max() ?? 0
            #expect(diffs.isEmpty, "window \(x),\(y) \(w)x\(h): rows \(rows.prefix(10)) of \(h), worst \(worst)")
        }
    }

    /// At a DCT scale the window is the scaled rectangle floor(x·s)…ceil((x + w)·s) of the scaled
    /// decode, again byte for byte.
    @Test func scaledWindowEqualsTheScaledDecodesWindow() throws {
        var options = DecodeOptions(minimumSize: (60, 40))
        let full = try Image.decode(Self.bytes, options: options)
        #expect(full.width == 64 && full.height == 43)  // 256×170 at 2/8
        options.crop = (101, 41, 99, 77)
        let region = try Image.decodeRegion(Self.bytes, options: options)
        let s = Double(full.width) / 256, t = Double(full.height) / 170
        let left = Int((101 * s).rounded(.down)), top = Int((41 * t).rounded(.down))
        let right = Int((200 * s).rounded(.up)), bottom = Int((118 * t).rounded(.up))
        #expect((region.x, region.y, region.fullWidth, region.fullHeight) == (left, top, full.width, full.height))
        #expect(region.image.pixels == window(full, x: left, y: top, width: right - left, height: bottom - top))
    }

    /// `cropMayWiden`: the region holds the crop, lies inside the image, starts on an iMCU column
    /// (a multiple of 8 at full scale) at most 16 + 15 pixels left of the crop and ends at most
    /// 16 right of it, and its crop pixels equal the full decode's (at full and at a DCT scale).
    @Test func widenedRegionHoldsTheCropsPixels() throws {
        for minimum in [nil, (60, 40)] as [(Int, Int)?] {
            let full = try Image.decode(Self.bytes, options: DecodeOptions(minimumSize: minimum))
            for (x, y, w, h) in [(37, 21, 150, 100), (0, 0, 256, 1), (200, 150, 56, 20), (17, 3, 5, 160), (131, 99, 1, 1), (90, 40, 70, 60)] {
                var options = DecodeOptions(minimumSize: minimum)
                options.crop = (x, y, w, h)
                let exact = try Image.decodeRegion(Self.bytes, options: options)
                options.cropMayWiden = true
                let wide = try Image.decodeRegion(Self.bytes, options: options)
                let label = "crop \(x),\(y) \(w)x\(h) minimum \(String(describing: minimum))"
                #expect(wide.y == exact.y && wide.image.height == exact.image.height, "\(label)")
                #expect(wide.x <= exact.x && wide.x + wide.image.width >= exact.x + exact.image.width
                        && wide.x + wide.image.width <= full.width, "\(label)")
                #expect(exact.x - wide.x <= 31 && wide.x + wide.image.width - (exact.x + exact.image.width) <= 16, "\(label)")
                if minimum == nil { #expect(wide.x % 8 == 0, "\(label)") }
                let inner = window(wide.image, x: exact.x - wide.x, y: 0, width: exact.image.width, height: exact.image.height)
                #expect(inner == exact.image.pixels, "\(label)")
                #expect(inner == window(full, x: exact.x, y: exact.y, width: exact.image.width, height: exact.image.height), "\(label)")
            }
        }
    }

    /// PNGs and bad crops: the whole image, or a clear error.
    @Test func otherFormatsDecodeWholeAndBadCropsAreRefused() throws {
        var options = DecodeOptions()
        options.crop = (1, 1, 4, 4)
        let png = [UInt8](try Data(contentsOf: RepositoryFiles.url("samples/photos/objects/camera.png")))
        let region = try Image.decodeRegion(png, options: options)
        #expect((region.x, region.y) == (0, 0) && region.image.width == region.fullWidth)
        options.crop = (0, 0, 0, 4)
        #expect(throws: ImageError.self) { try Image.decodeRegion(Self.bytes, options: options) }
    }
}
