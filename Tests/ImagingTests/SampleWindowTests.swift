import Foundation
import Testing
import TestSupport
@testable import Imaging

/// `SampleWindow`: a mask PNG decoded only inside a window gives the window of the whole decode,
/// and a damaged file gives what the whole libpng decode gives (fixtures and their expected
/// samples from `scripts/make_mask_window_fixtures.py`, written by an encoder of its own).
@Suite struct SampleWindowTests {
    static let folder = "mask-windows"

    /// (fixture, width, height, channels) with their expected samples.
    static func fixture(_ name: String) throws -> (bytes: [UInt8], expected: [UInt16]) {
        (try FixtureFiles.bytes(folder, name + ".png"), try FixtureFiles.samples16(folder, name + ".u16"))
    }

    static func crop(_ samples: [UInt16], width: Int, channels: Int = 1,
                     _ window: (x: Int, y: Int, width: Int, height: Int)) -> [UInt16] {
        var out = [UInt16]()
        for row in window.y..<(window.y + window.height) {
            let start: Int = (row * width + window.x) * channels
            out += samples[start..<(start + window.width * channels)]
        }
        return out
    }

    /// Windows at the corners, edges, single pixels, whole rows and columns, empty, and past the image.
    static func windows(width: Int, height: Int) -> [(x: Int, y: Int, width: Int, height: Int)] {
        [(0, 0, width, height), (0, 0, 1, 1), (width - 1, height - 1, 1, 1), (3, 2, 17, 9), (5, height - 4, width - 5, 4),
         (width / 2, 0, 1, height), (0, height / 2, width, 1), (7, 11, 0, 5), (2, 3, 4, 0), (width - 3, height - 2, 10, 10),
         (1, 12, 33, 3), (17, 1, 16, height - 1)]
            .map { ($0.0, $0.1, max(0, $0.2), max(0, $0.3)) }
    }

    /// 8- and 16-bit gray and 8-bit palette PNGs take the window path; every window equals the
    /// same window of the expected samples, and the whole image equals them.
    @Test(arguments: [("gray8", 53, 29, 8), ("gray16", 41, 19, 16), ("palette8", 47, 23, 8)])
    func windowsOfPlainMasksEqualTheWholeImagesWindows(name: String, width: Int, height: Int, depth: Int) throws {
        let (bytes, expected) = try Self.fixture(name)
        let whole = try SampleWindow.decode(bytes)
        #expect((whole.width, whole.height, whole.channels, whole.bitDepth) == (width, height, 1, depth))
        #expect(whole.samples == expected)
        for window in Self.windows(width: width, height: height) {
            let bounds = (x0: window.x, y0: window.y, x1: window.x + window.width, y1: window.y + window.height)
            let fast = try #require(SampleWindow.windowOfPlainPNG(bytes, bounds: bounds, options: DecodeOptions()),
                                    "\(name) takes the window path")
            let clipped = (x: min(window.x, width), y: min(window.y, height),
                           width: min(window.x + window.width, width) - min(window.x, width),
                           height: min(window.y + window.height, height) - min(window.y, height))
            #expect((fast.x, fast.y, fast.windowWidth, fast.windowHeight) == clipped, "\(name) \(window)")
            #expect(fast.samples == Self.crop(expected, width: width, clipped), "\(name) \(window)")
            #expect(try SampleWindow.decode(bytes, window: window) == fast)
        }
    }

    /// Grid sampling straight from the decoded rows equals gathering from the expected samples:
    /// repeated, reversed and outside (-1) rows and columns; a table past the image or another
    /// kind of file gives `nil`.
    @Test(arguments: [("gray8", 53, 29), ("gray16", 41, 19), ("palette8", 47, 23)])
    func gridsEqualGathersFromTheWholeImage(name: String, width: Int, height: Int) throws {
        let (bytes, expected) = try Self.fixture(name)
        let tables: [([Int32], [Int32])] = [
            ((0..<Int32(width)).map { $0 }, (0..<Int32(height)).map { $0 }),
            ([-1, 0, 0, 1, 5, 5, 5, Int32(width - 1), -1], [3, 3, 2, 1, 0, -1, Int32(height - 1)]),
            ((0..<40).map { Int32(width - 1 - $0 % width) }, [-1, -1]),
            ([7, 8, 9], (0..<Int32(height)).reversed().map { $0 }),
            ([-1, -1], [0, 1]),
        ]
        for (columns, rows) in tables {
            let grid = try #require(SampleWindow.grid(bytes, columns: columns, rows: rows, fill: 999))
            #expect(grid.width == width && grid.height == height)
            let gathered = rows.flatMap { row in
                columns.map { column in row < 0 || column < 0 ? 999 : expected[Int(row) * width + Int(column)] }
            }
            #expect(grid.samples == gathered, "\(name) \(columns) \(rows)")
        }
        #expect(SampleWindow.grid(bytes, columns: [Int32(width)], rows: [0], fill: 0) == nil)
        #expect(SampleWindow.grid(bytes, columns: [0], rows: [Int32(height)], fill: 0) == nil)
        #expect(SampleWindow.grid(Array(bytes.dropLast(30)), columns: [0], rows: [0], fill: 0) == nil)
        let (palette4, _) = try Self.fixture("palette4")
        #expect(SampleWindow.grid(palette4, columns: [0], rows: [0], fill: 0) == nil)
    }

    /// A 4-bit palette PNG and an interlaced 16-bit one are decoded whole by libpng (indices
    /// unscaled; 16 bits kept) and cropped; a gray PNG with tRNS decodes to two channels.
    @Test func otherPNGsDecodeWholeAndAreCropped() throws {
        let (palette4, indices) = try Self.fixture("palette4")
        #expect(SampleWindow.windowOfPlainPNG(palette4, bounds: (0, 0, 13, 7), options: DecodeOptions()) == nil)
        let part = try SampleWindow.decode(palette4, window: (2, 1, 9, 5))
        #expect((part.channels, part.bitDepth, part.x, part.y, part.windowWidth, part.windowHeight) == (1, 4, 2, 1, 9, 5))
        #expect(part.samples == Self.crop(indices, width: 13, (2, 1, 9, 5)))

        let adam7 = try FixtureFiles.bytes("codecs", "png-gray-16-adam7.png")
        let deep = try Image16.decode(adam7)
        #expect(SampleWindow.windowOfPlainPNG(adam7, bounds: (0, 0, 1, 1), options: DecodeOptions()) == nil)
        let window = (x: 3, y: 2, width: 5, height: 4)
        #expect(try SampleWindow.decode(adam7, window: window).samples == Self.crop(deep.pixels, width: deep.width, window))

        let (trns, grayAlpha) = try Self.fixture("gray8-trns")
        let alpha = try SampleWindow.decode(trns, window: (1, 1, 3, 2))
        #expect(alpha.channels == 2 && alpha.samples == Self.crop(grayAlpha, width: 9, channels: 2, (1, 1, 3, 2)))
    }

    /// Palette images decode to their indices under `paletteIndices`, to RGB without it.
    @Test func paletteIndicesOption() throws {
        let (bytes, indices) = try Self.fixture("palette8")
        var options = DecodeOptions()
        options.paletteIndices = true
        let image = try Image.decode(bytes, options: options)
        #expect(image.channels == 1 && image.pixels.map(UInt16.init) == indices)
        #expect(try Image.decode(bytes).channels == 4)   // RGB + the tRNS alpha
    }

    /// Truncated at every length, and with bytes flipped one at a time, a file gives what the
    /// whole libpng decode gives: the same samples, or an error of the same kind and message.
    @Test(arguments: ["gray8", "gray16", "palette8"])
    func damagedFilesBehaveAsTheWholeDecode(name: String) throws {
        let (bytes, _) = try Self.fixture(name)
        var variants = (1..<bytes.count).map { Array(bytes[..<$0]) }
        for at in stride(from: 8, to: bytes.count, by: 3) {
            var flipped = bytes
            flipped[at] ^= 0x5A
            variants.append(flipped)
        }
        var failures = 0
        for variant in variants {
            let reference = Result { () throws(ImageError) in try Self.wholeLibPNG(variant) }
            let window = Result { () throws(ImageError) in try SampleWindow.decode(variant, window: (2, 3, 20, 9)) }
            switch (reference, window) {
            case (.success(let whole), .success(let part)):
                #expect(part.samples == Self.crop(whole.samples, width: whole.width, channels: whole.channels, (2, 3, 20, 9)))
            case (.failure(let expected), .failure(let got)):
                #expect(got.kind == expected.kind && got.message == expected.message)
                failures += 1
            default:
                Issue.record("\(name), \(variant.count) bytes: \(reference) vs \(window)")
            }
        }
        #expect(failures > variants.count / 2)
        let truncated = #expect(throws: ImageError.self) { try SampleWindow.decode(Array(bytes.dropLast(30))) }
        #expect(truncated?.kind == .truncated)
    }

    /// The whole file through libpng: the reference of the window path.
    static func wholeLibPNG(_ bytes: [UInt8]) throws(ImageError) -> (samples: [UInt16], width: Int, channels: Int) {
        var options = DecodeOptions(applyEXIFOrientation: false)
        options.paletteIndices = true
        let info = try ImageInfo.probe(bytes)
        if info.bitDepth == 16 {
            let image = try Image16.decode(bytes, options: options)
            return (image.pixels, image.width, image.channels)
        }
        let image = try Image.decode(bytes, options: options)
        return (image.pixels.map(UInt16.init), image.width, image.channels)
    }

    /// Bad windows are refused; a file over the pixel limit is refused as the whole decode refuses it.
    @Test func badWindowsAndLimits() throws {
        let (bytes, _) = try Self.fixture("gray8")
        let negative = #expect(throws: ImageError.self) { try SampleWindow.decode(bytes, window: (-1, 0, 3, 3)) }
        #expect(negative?.kind == .invalidArgument)
        var options = DecodeOptions()
        options.pixelLimit = 100
        let large = #expect(throws: ImageError.self) { try SampleWindow.decode(bytes, window: (0, 0, 3, 3), options: options) }
        #expect(large?.kind == .tooLarge)
    }
}
