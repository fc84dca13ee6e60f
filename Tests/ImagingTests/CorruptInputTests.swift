import Foundation
import Testing
import TestSupport
import Randomness
@testable import Imaging

/// Hostile and damaged files give the right `ImageError` kind; nothing crashes.
@Suite struct CorruptInputTests {
    static let sources = ["png-rgb-8.png", "png-palette-8-adam7.png", "png-gray-16-adam7.png",
                          "jpeg-baseline.jpg", "jpeg-progressive.jpg", "jpeg-cmyk.jpg",
                          "tiff-rgb-lzw.tif", "tiff-tiled-rgb.tif", "tiff-rgb-jpeg.tif"]

    private func kind(of bytes: [UInt8], options: DecodeOptions = .init()) -> ImageError.Kind? {
        do {
            _ = try Image.decode(bytes, options: options)
            return nil
        } catch {
            return error.kind
        }
    }

    @Test(arguments: sources)
    func truncationAtTenPointsIsReported(_ file: String) throws {
        let bytes = try FixtureFiles.bytes("codecs", file)
        for point in 1...10 {
            let cut = Array(bytes.prefix(bytes.count * point / 11))
            let kind = kind(of: cut)
            if file == "tiff-rgb-jpeg.tif" {
                // libtiff's embedded JPEG codec reports a short strip as bad data, not as a short read.
                #expect(kind == .truncated || kind == .corrupt, "\(file) cut at \(cut.count): \(String(describing: kind))")
            } else {
                #expect(kind == .truncated, "\(file) cut at \(cut.count) of \(bytes.count): \(String(describing: kind))")
            }
        }
    }

    @Test func truncatedJPEGIsAcceptedWhenAllowed() throws {
        let bytes = try FixtureFiles.bytes("codecs", "jpeg-64x48.jpg")
        let cut = Array(bytes.prefix(bytes.count * 2 / 3))
        #expect(kind(of: cut) == .truncated)
        let image = try Image.decode(cut, options: DecodeOptions(allowTruncated: true))
        #expect(image.width == 64 && image.height == 48)
    }

    @Test func emptyInputIsEmptyFile() throws {
        #expect(kind(of: []) == .emptyFile)
        let temporary = try TemporaryDirectory()
        let url = temporary.url.appendingPathComponent("file.png")
        try Data().write(to: url)
        let error = #expect(throws: ImageError.self) { _ = try Image.decode(contentsOf: url.path) }
        #expect(error?.kind == .emptyFile)
        #expect(error?.path == url.path)
    }

    @Test func randomBytesAreUnsupportedOrCorrupt() {
        func noise(_ count: Int, stream: UInt64) -> [UInt8] {
            let random = CounterRandom([7, stream])
            return (0..<count).map { UInt8(truncatingIfNeeded: random.bits(UInt64($0))) }
        }
        for length in [1, 7, 100, 5000] {
            let noise = noise(length, stream: UInt64(length))
            #expect(kind(of: noise) == .unsupportedFormat)
        }
        // A valid signature followed by noise reaches the codec, which must refuse it.
        let signatures: [[UInt8]] = [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF], [0x49, 0x49, 0x2A, 0x00]]
        for (s, signature) in signatures.enumerated() {
            for trial in 0..<20 {
                let noise = signature + noise(300, stream: UInt64(1_000 + 20 * s + trial))
                let kind = kind(of: noise)
                #expect(kind == .corrupt || kind == .truncated || kind == .unsupportedFormat || kind == .tooLarge,
                        "\(signature): \(String(describing: kind))")
            }
        }
    }

    @Test(arguments: sources)
    func bitFlippedHeadersNeverCrash(_ file: String) throws {
        let bytes = try FixtureFiles.bytes("codecs", file)
        for offset in 0..<min(bytes.count, 96) {
            for bit in [0, 3, 7] {
                var flipped = bytes
                flipped[offset] ^= 1 << bit
                // Any outcome but a crash is acceptable for an arbitrary header bit:
                // some flips (a quantisation value, a palette entry) still make a valid image.
                if let image = try? Image.decode(flipped) {
                    #expect(image.pixels.count == image.width * image.height * image.channels)
                }
            }
        }
    }

    @Test func bitFlippedPNGHeaderFailsItsChecksum() throws {
        var bytes = try FixtureFiles.bytes("codecs", "png-rgb-8.png")
        bytes[18] ^= 0x10 // inside IHDR width
        #expect(kind(of: bytes) == .corrupt)
        var signature = try FixtureFiles.bytes("codecs", "tiff-rgb-raw.tif")
        signature[0] ^= 0x02
        #expect(kind(of: signature) == .unsupportedFormat)
    }

    @Test func hugeDimensionsAreRefusedBeforeAllocating() throws {
        let png = CorruptBytes.png(try FixtureFiles.bytes("codecs", "png-rgb-8.png"), width: 100_000, height: 100_000)
        #expect(kind(of: png) == .tooLarge)
        let tiff = CorruptBytes.tiff(try FixtureFiles.bytes("codecs", "tiff-rgb-raw.tif"), width: 100_000, height: 100_000)
        #expect(kind(of: tiff) == .tooLarge)
        // JPEG stores 16-bit sizes: 65,500 squared is over the pixel limit,
        // 65,535 is over libjpeg's own maximum dimension.
        let jpeg = try FixtureFiles.bytes("codecs", "jpeg-baseline.jpg")
        #expect(kind(of: CorruptBytes.jpeg(jpeg, width: 65_500, height: 65_500)) == .tooLarge)
        #expect(kind(of: CorruptBytes.jpeg(jpeg, width: 65_535, height: 65_535)) == .tooLarge)
        let error = #expect(throws: ImageError.self) { _ = try ImageInfo.probe(png).width; _ = try Image.decode(png) }
        #expect(error?.message.contains("100000x100000") == true)
    }

    @Test func pixelLimitIsConfigurable() throws {
        let bytes = try FixtureFiles.bytes("codecs", "png-rgb-8.png")
        #expect(kind(of: bytes, options: DecodeOptions(pixelLimit: 13 * 9 - 1)) == .tooLarge)
        #expect(kind(of: bytes, options: DecodeOptions(pixelLimit: 13 * 9)) == nil)
    }

    @Test func wrongExtensionIsIgnored() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let png = directory.appendingPathComponent("really-a-png.jpg")
        try Data(try FixtureFiles.bytes("codecs", "png-rgb-8.png")).write(to: png)
        #expect(try ImageInfo.probe(contentsOf: png.path).format == .png)
        #expect(try Image.decode(contentsOf: png.path).width == 13)
        let text = directory.appendingPathComponent("notes.png")
        try Data("not an image".utf8).write(to: text)
        let error = #expect(throws: ImageError.self) { _ = try Image.decode(contentsOf: text.path) }
        #expect(error?.kind == .unsupportedFormat)
        let missing = #expect(throws: ImageError.self) { _ = try Image.decode(contentsOf: directory.appendingPathComponent("none.png").path) }
        #expect(missing?.kind == .io)
        let folder = #expect(throws: ImageError.self) { _ = try Image.decode(contentsOf: directory.path) }
        #expect(folder?.kind == .io)
    }
}
