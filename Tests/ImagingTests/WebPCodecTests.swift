import Foundation
import Testing
import TestSupport
@testable import Imaging

/// WebP through libwebp: Pillow's pixels for the committed fixtures
/// (scripts/make_webp_fixtures.py), typed errors for broken files, the pixel limit
/// before allocation, encoding round trips and the file filter.
@Suite struct WebPCodecTests {
    static let fixtures = FixtureFiles.manifest("webp", as: [CodecFixture].self)

    @Test func manifestIsPresent() {
        #expect(Self.fixtures.count == 3)
    }

    @Test(arguments: fixtures)
    func decodesLikePillow(_ fixture: CodecFixture) throws {
        let image = try Image.decode(FixtureFiles.bytes("webp", fixture.file))
        #expect(image.width == fixture.width && image.height == fixture.height)
        #expect(image.channels == fixture.channels)
        let reference = try FixtureFiles.bytes("webp", fixture.reference)
        try #require(image.pixels.count == reference.count)
        #expect(FixtureFiles.maxAbsDiff(image.pixels, reference) <= fixture.max_abs_diff)
    }

    @Test(arguments: fixtures)
    func probeReadsTheHeader(_ fixture: CodecFixture) throws {
        let info = try ImageInfo.probe(contentsOf: FixtureFiles.path("webp", fixture.file))
        #expect(info.format == .webp)
        #expect(info.width == fixture.width && info.height == fixture.height)
        #expect(info.channels == fixture.channels && info.pageCount == 1)
    }

    @Test(arguments: [("webp-damaged.webp", ImageError.Kind.corrupt),
                      ("webp-truncated.webp", .truncated),
                      ("webp-animated.webp", .unsupportedFormat)])
    func brokenFilesAreTypedErrors(_ file: String, _ kind: ImageError.Kind) throws {
        let path = FixtureFiles.path("webp", file)
        let error = #expect(throws: ImageError.self) { try Image.decode(contentsOf: path) }
        #expect(error?.kind == kind)
        #expect(error?.path == path && error?.format == "webp")
    }

    @Test func pixelLimitIsCheckedBeforeDecoding() throws {
        let bytes = try FixtureFiles.bytes("webp", "webp-lossless-rgb.webp")
        let error = #expect(throws: ImageError.self) {
            try Image.decode(bytes, options: DecodeOptions(pixelLimit: 13 * 9 - 1))
        }
        #expect(error?.kind == .tooLarge)
        #expect(error?.message.contains("13x9") == true)
    }

    @Test func sixteenBitDecodingWidensExactly() throws {
        let bytes = try FixtureFiles.bytes("webp", "webp-lossless-rgba.webp")
        let wide = try Image16.decode(bytes)
        #expect(wide.pixels == (try Image.decode(bytes)).pixels.map { UInt16($0) * 257 })
    }

    @Test func losslessEncodingRoundTrips() throws {
        let rgba = try Image.decode(FixtureFiles.bytes("webp", "webp-lossless-rgba.webp"))
        let bytes = try rgba.encoded(as: .webp(lossless: true))
        #expect(bytes.withUnsafeBytes { ImageFormat.sniff($0) } == .webp)
        #expect(try Image.decode(bytes) == rgba)
    }

    @Test func greyIsWrittenAsRGB() throws {
        let grey = try Image(width: 3, height: 2, channels: 1, pixels: [0, 40, 80, 120, 160, 200])
        let decoded = try Image.decode(grey.encoded(as: .webp(lossless: true)))
        #expect(decoded == grey.converted(to: .rgb))
    }

    @Test func lossyEncodingStaysClose() throws {
        // A smooth gradient: lossy WebP subsamples chroma, so noise would not survive.
        let (width, height) = (16, 12)
        let pixels = (0..<(width * height * 3)).map { i in UInt8((i / 3 % width) * 8 + (i / 3 / width) * 6 + (i % 3) * 30) }
        let rgb = try Image(width: width, height: height, channels: 3, pixels: pixels)
        let decoded = try Image.decode(rgb.encoded(as: .webp(quality: 95)))
        #expect(decoded.width == width && decoded.height == height && decoded.channels == 3)
        let meanError = zip(decoded.pixels, rgb.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +) / rgb.pixels.count
        #expect(meanError <= 4)
    }

    @Test func qualityOutOfRangeIsRefused() throws {
        let rgb = try Image(width: 1, height: 1, channels: 3, pixels: [1, 2, 3])
        let error = #expect(throws: ImageError.self) { try rgb.encoded(as: .webp(quality: 101)) }
        #expect(error?.kind == .invalidArgument && error?.format == "webp")
    }

    @Test func theFilterCountsWebPButKerasListDoesNot() {
        #expect(ImageFileFilter().accepts("cats/a.WEBP"))
        #expect(!ImageFileFilter(extensions: ImageFileFilter.kerasExtensions).accepts("cats/a.webp"))
        #expect(EncodeFormat.webp().fileNameExtension == "webp")
    }

    @Test func inspectCountsWebPFiles() throws {
        let tree = try TemporaryDirectory()
        try tree.write("cats/a.webp", bytes: Data(FixtureFiles.bytes("webp", "webp-lossless-rgb.webp")))
        try tree.write("cats/b.png", bytes: Data(FixtureFiles.bytes("codecs", "png-rgb-8.png")))
        let report = try DatasetInspector().inspect(tree.path)
        #expect(report.formats == [.webp: 1, .png: 1])
    }
}
