import Foundation
import Testing
import TestSupport
@testable import Imaging

/// Every generated PNG/JPEG/TIFF fixture decodes to Pillow's (or tifffile's) pixels.
@Suite struct CodecFixtureTests {
    static let fixtures = FixtureFiles.manifest("codecs", as: [CodecFixture].self)

    @Test func manifestIsPresent() {
        #expect(Self.fixtures.count > 50)
    }

    @Test(arguments: fixtures)
    func decodesLikeTheReference(_ fixture: CodecFixture) throws {
        let bytes = try FixtureFiles.bytes("codecs", fixture.file)
        if fixture.mode == "decode16" {
            let image = try Image16.decode(bytes, options: fixture.options)
            #expect(image.width == fixture.width && image.height == fixture.height)
            #expect(image.channels == fixture.channels)
            let reference = try FixtureFiles.samples16("codecs", fixture.reference)
            try #require(image.pixels.count == reference.count)
            #expect(FixtureFiles.maxAbsDiff(image.pixels, reference) <= fixture.max_abs_diff)
        } else {
            let image = try Image.decode(bytes, options: fixture.options)
            #expect(image.width == fixture.width && image.height == fixture.height)
            #expect(image.channels == fixture.channels)
            let reference = try FixtureFiles.bytes("codecs", fixture.reference)
            try #require(image.pixels.count == reference.count)
            #expect(FixtureFiles.maxAbsDiff(image.pixels, reference) <= fixture.max_abs_diff)
        }
    }

    @Test(arguments: fixtures.filter { $0.mode == "decode" && $0.minimum_size == nil && $0.page == nil })
    func probeAgreesWithDecode(_ fixture: CodecFixture) throws {
        let info = try ImageInfo.probe(contentsOf: FixtureFiles.path("codecs", fixture.file))
        #expect(info.format.rawValue == fixture.format)
        #expect(info.orientedSize.width == fixture.width && info.orientedSize.height == fixture.height)
        #expect(info.channels == fixture.channels)
        #expect(info.orientation == (fixture.orientation ?? 1))
    }

    @Test func multiPageTIFFReportsItsPages() throws {
        let info = try ImageInfo.probe(contentsOf: FixtureFiles.path("codecs", "tiff-multipage.tif"))
        #expect(info.pageCount == 3)
        let error = #expect(throws: ImageError.self) {
            _ = try Image.decode(contentsOf: FixtureFiles.path("codecs", "tiff-multipage.tif"),
                                 options: DecodeOptions(page: 3))
        }
        #expect(error?.kind == .invalidArgument)
    }

    @Test func exifOrientationCanBeIgnored() throws {
        let path = FixtureFiles.path("codecs", "jpeg-exif-6.jpg")
        let upright = try Image.decode(contentsOf: path)
        let stored = try Image.decode(contentsOf: path, options: DecodeOptions(applyEXIFOrientation: false))
        #expect(stored.width == upright.height && stored.height == upright.width)
        #expect(stored == (try Image.decode(contentsOf: FixtureFiles.path("codecs", "jpeg-baseline.jpg"))))
    }

    @Test func minimumSizeIsUprightAndColorModeConverts() throws {
        // Stored 13x9, upright 9x13: an upright minimum of 5x7 allows half scale (stored 7x5).
        let path = FixtureFiles.path("codecs", "jpeg-exif-6.jpg")
        let half = try Image.decode(contentsOf: path, options: DecodeOptions(minimumSize: (5, 7)))
        #expect(half.width == 5 && half.height == 7)
        let gray = try Image.decode(contentsOf: FixtureFiles.path("codecs", "png-rgba-8.png"),
                                    options: DecodeOptions(colorMode: .grayscale))
        let reference = try Image.decode(contentsOf: FixtureFiles.path("codecs", "png-rgba-8.png"))
        #expect(gray == reference.converted(to: .grayscale))
    }

    @Test func minimumSizePicksTheSmallestEighthScale() throws {
        // libjpeg's M/8 output is ceil(size·M/8); the smallest M in 1, 2, 4 covering the minimum
        // wins, else full size (the other eighths run scalar IDCTs, slower than 8/8).
        func eighths(_ size: Int, _ m: Int) -> Int { (size * m + 7) / 8 }
        let path = FixtureFiles.path("codecs", "jpeg-64x48.jpg")
        let full = try Image.decode(contentsOf: path)
        for (minimum, m) in [((8, 6), 1), ((16, 12), 2), ((17, 1), 4), ((1, 13), 4), ((32, 24), 4), ((33, 24), 8),
                                ((40, 30), 8), ((20, 31), 8), ((90, 90), 8)] {
            let scaled = try Image.decode(contentsOf: path, options: DecodeOptions(minimumSize: minimum))
            #expect(scaled.width == eighths(64, m) && scaled.height == eighths(48, m), "minimum \(minimum)")
        }
        // Scaling the IDCT keeps each block's DC term: every channel keeps its mean.
        let half = try Image.decode(contentsOf: path, options: DecodeOptions(minimumSize: (32, 24)))
        func channelMeans(_ image: Image) -> [Double] {
            (0..<3).map { c in
                stride(from: c, to: image.pixels.count, by: 3).reduce(0.0) { $0 + Double(image.pixels[$1]) }
                    / Double(image.width * image.height)
            }
        }
        for (scaled, reference) in zip(channelMeans(half), channelMeans(full)) {
            #expect(abs(scaled - reference) < 1.5, "channel means \(scaled) vs \(reference)")
        }
        // Stored 13x9, upright 9x13 (orientation 6): an upright minimum of 4x2 needs stored 2x4,
        // which 4/8 gives (stored 7x5, upright 5x7); unrotated, 2/8 (4x3) would have done.
        let turned = try Image.decode(contentsOf: FixtureFiles.path("codecs", "jpeg-exif-6.jpg"),
                                      options: DecodeOptions(minimumSize: (4, 2)))
        #expect(turned.width == eighths(9, 4) && turned.height == eighths(13, 4))
    }

    @Test func probeFindsATIFFDirectoryBeyondTheFirst64KiB() throws {
        // A hand-made 300x240 gray TIFF whose IFD follows 72,000 bytes of pixels.
        let width = 300, height = 240
        var bytes: [UInt8] = [0x49, 0x49, 0x2A, 0x00]
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        bytes += le32(8 + width * height)
        bytes += (0..<(width * height)).map { UInt8($0 % 251) }
        let tags: [(Int, Int, Int)] = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
                                       (273, 4, 8), (277, 3, 1), (278, 4, height), (279, 4, width * height)]
        bytes += le16(tags.count)
        for (tag, type, value) in tags { bytes += le16(tag) + le16(type) + le32(1) + le32(value) }
        bytes += le32(0)
        let temporary = try TemporaryDirectory()
        let url = temporary.url.appendingPathComponent("file.tif")
        try Data(bytes).write(to: url)
        let info = try ImageInfo.probe(contentsOf: url.path)
        #expect(info.width == width && info.height == height && info.channels == 1)
        let image = try Image.decode(contentsOf: url.path)
        #expect(image[1, 0, 0] == UInt8(width % 251))
    }

    @Test func sixteenBitProbeReportsDepth() throws {
        let info = try ImageInfo.probe(contentsOf: FixtureFiles.path("codecs", "png-rgba-16.png"))
        #expect(info.bitDepth == 16 && info.channels == 4)
    }
}
