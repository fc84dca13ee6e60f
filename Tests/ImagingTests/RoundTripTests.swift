import Foundation
import Testing
import TestSupport
import Randomness
@testable import Imaging

/// Encode then decode: PNG exactly, JPEG within a PSNR bound.
@Suite struct RoundTripTests {
    static func gradient(channels: Int, width: Int = 40, height: Int = 30) -> Image {
        var image = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    image[y, x, c] = UInt8((x * 3 + y * 2 + c * 30) % 256)
                }
            }
        }
        return image
    }

    static func psnr(_ a: Image, _ b: Image) -> Double {
        let squared = zip(a.pixels, b.pixels).reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) }
        let mse = squared / Double(a.pixels.count)
        return 10 * log10(255 * 255 / mse)
    }

    @Test(arguments: [1, 2, 3, 4], [0, 6, 9])
    func pngIsLossless(channels: Int, level: Int) throws {
        let image = Self.gradient(channels: channels)
        let bytes = try image.encoded(as: .png(compressionLevel: level))
        #expect(ImageFormat.sniff(bytes.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[...]) }) == .png)
        #expect(try Image.decode(bytes) == image)
    }

    @Test(arguments: [1, 3])
    func jpegStaysClose(channels: Int) throws {
        let image = Self.gradient(channels: channels)
        let decoded = try Image.decode(try image.encoded(as: .jpeg(quality: 95)))
        #expect(decoded.width == image.width && decoded.height == image.height && decoded.channels == channels)
        #expect(Self.psnr(image, decoded) > 35)
        let rough = try Image.decode(try image.encoded(as: .jpeg(quality: 10)))
        #expect(Self.psnr(image, rough) < Self.psnr(image, decoded))
    }

    @Test func noisyJPEGOutgrowsTheFirstBuffer() throws {
        let random = CounterRandom([3])
        // Gray noise: no chroma subsampling, so quality 100 keeps it close.
        let noise = (0..<(128 * 128)).map { UInt8(truncatingIfNeeded: random.bits(UInt64($0))) }
        let image = try Image(width: 128, height: 128, channels: 1, pixels: noise)
        let bytes = try image.encoded(as: .jpeg(quality: 100))
        #expect(bytes.count > 4096 + noise.count / 4) // the encoder's buffer had to grow
        let decoded = try Image.decode(bytes)
        #expect(Self.psnr(image, decoded) > 30)
    }

    @Test func writesFiles() throws {
        let temporary = try TemporaryDirectory()
        let url = temporary.url.appendingPathComponent("gradient.png")
        let image = Self.gradient(channels: 4)
        try image.write(to: url.path, as: .png())
        #expect(try Image.decode(contentsOf: url.path) == image)
    }

    @Test func refusesBadSettings() {
        let image = Self.gradient(channels: 4)
        #expect(throws: ImageError.self) { _ = try image.encoded(as: .jpeg(quality: 90)) }
        #expect(throws: ImageError.self) { _ = try Self.gradient(channels: 3).encoded(as: .jpeg(quality: 0)) }
        #expect(throws: ImageError.self) { _ = try image.encoded(as: .png(compressionLevel: 10)) }
    }
}
