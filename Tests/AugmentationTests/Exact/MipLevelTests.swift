import Testing
@testable import Augmentation
import Randomness

/// The box prefilter against hand-computed block means (rounded half up), partial edge blocks included.
@Suite struct MipLevelTests {
    func reduce(_ pixels: [UInt8], width: Int, height: Int, channels: Int, kx: Int, ky: Int) -> [UInt8] {
        let (mw, mh) = MipLevel.size(width: width, height: height, kx: kx, ky: ky)
        var mip = [UInt8](repeating: 0, count: mw * mh * channels)
        pixels.withUnsafeBufferPointer { source in
            mip.withUnsafeMutableBufferPointer {
                MipLevel.reduce(source, width: width, height: height, channels: channels, kx: kx, ky: ky, into: $0)
            }
        }
        return mip
    }

    @Test func grayBlocksRoundHalfUp() {
        // 5x3, k = 2x2: blocks {1,2,6,7} → 4, {3,4,8,9} → 6, {5,10} → 7.5 → 8, {11,12} → 11.5 → 12,
        // {13,14} → 13.5 → 14, {15} → 15.
        let pixels: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        #expect(reduce(pixels, width: 5, height: 3, channels: 1, kx: 2, ky: 2) == [4, 6, 8, 12, 14, 15])
    }

    @Test func rgbBlocksKeepChannelsApart() {
        // 3x1 RGB, k = 3x1: means (10+11+13)/3 = 11.33 → 11, (0+255+255)/3 = 170, (254+255+255)/3 = 254.67 → 255.
        let pixels: [UInt8] = [10, 0, 254, 11, 255, 255, 13, 255, 255]
        #expect(reduce(pixels, width: 3, height: 1, channels: 3, kx: 3, ky: 1) == [11, 170, 255])
        // All 255 over a large block stays 255; all 0 stays 0.
        #expect(reduce([UInt8](repeating: 255, count: 64 * 64 * 3), width: 64, height: 64, channels: 3, kx: 16, ky: 16)
                == [UInt8](repeating: 255, count: 4 * 4 * 3))
    }

    /// A window of a larger image, read in place with its row stride, reduces as its copy does
    /// (and reads nothing beyond it: the surroundings are 255, the window small values).
    @Test func aWindowReadInPlaceReducesAsItsCopy() {
        let (width, height, channels) = (23, 17, 3), (x, y, w, h) = (5, 3, 13, 11)
        var image = [UInt8](repeating: 255, count: width * height * channels), window = [UInt8]()
        for row in y..<(y + h) {
            for i in 0..<(w * channels) {
                image[(row * width + x) * channels + i] = UInt8((row * 31 + i * 7) % 100)
                window.append(image[(row * width + x) * channels + i])
            }
        }
        for (kx, ky) in [(2, 2), (3, 2), (4, 5)] {
            let (mw, mh) = MipLevel.size(width: w, height: h, kx: kx, ky: ky)
            var mip = [UInt8](repeating: 0, count: mw * mh * channels)
            image.withUnsafeBufferPointer { source in
                mip.withUnsafeMutableBufferPointer {
                    MipLevel.reduce(UnsafeBufferPointer(rebasing: source[((y * width + x) * channels)...]), width: w,
                                    height: h, channels: channels, rowStride: width * channels, kx: kx, ky: ky, into: $0)
                }
            }
            #expect(mip == reduce(window, width: w, height: h, channels: channels, kx: kx, ky: ky), "k \(kx)x\(ky)")
            #expect(mip.allSatisfy { $0 < 100 })
        }
    }
}

/// `MipLevel.reduce` (C, vectorised) against a naive block-mean loop over random images: every
/// channel count, power-of-two and other block sizes, partial edge blocks.
@Suite struct MipLevelNaiveTests {
    static func naive(_ p: [UInt8], width: Int, height: Int, channels: Int, kx: Int, ky: Int) -> [UInt8] {
        let (mw, mh) = MipLevel.size(width: width, height: height, kx: kx, ky: ky)
        var out = [UInt8](repeating: 0, count: mw * mh * channels)
        for my in 0..<mh {
            for mx in 0..<mw {
                for ch in 0..<channels {
                    var sum = 0, n = 0
                    for y in (my * ky)..<min(my * ky + ky, height) {
                        for x in (mx * kx)..<min(mx * kx + kx, width) {
                            sum += Int(p[(y * width + x) * channels + ch])
                            n += 1
                        }
                    }
                    out[(my * mw + mx) * channels + ch] = UInt8((2 * sum + n) / (2 * n))
                }
            }
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 4])
    func matchesNaiveMeans(channels: Int) {
        let random = CounterRandom([11, 0, UInt64(channels)])
        var slot: UInt64 = 0
        func next() -> UInt64 { slot += 1; return random.bits(slot) }
        for (kx, ky) in [(1, 2), (2, 1), (2, 2), (1, 3), (3, 3), (4, 2), (5, 7), (1, 1), (8, 8), (3, 1)] {
            let width = 13 + Int(next() % 20), height = 9 + Int(next() % 20)
            // Mostly extreme values, so rounding and the 16-bit column sums are exercised.
            let pixels = (0..<(width * height * channels)).map { _ -> UInt8 in
                let r = next()
                return r % 3 == 0 ? 255 : r % 3 == 1 ? 0 : UInt8(truncatingIfNeeded: r >> 8)
            }
            let (mw, mh) = MipLevel.size(width: width, height: height, kx: kx, ky: ky)
            var mip = [UInt8](repeating: 0, count: mw * mh * channels)
            pixels.withUnsafeBufferPointer { source in
                mip.withUnsafeMutableBufferPointer {
                    MipLevel.reduce(source, width: width, height: height, channels: channels, kx: kx, ky: ky, into: $0)
                }
            }
            #expect(mip == Self.naive(pixels, width: width, height: height, channels: channels, kx: kx, ky: ky),
                    "\(width)x\(height)x\(channels) k \(kx)x\(ky)")
        }
    }

    @Test func minimumSourceSizeStopsWhereTheReductionWould() throws {
        let exact = try Augmenter(config: AugmentationConfig(), outputHeight: 100, outputWidth: 224)
        // Identity: 0.75 source pixels per output pixel, ceil(0.75 · size).
        #expect(exact.minimumSourceSize(for: Transform()) == (168, 75))
        // Zoom 1.2 × 0.8 samples 1.2 and 0.8 source pixels per output pixel: ceil(0.75 · 224 / 1.2)
        // and ceil(0.75 · 100 / 0.8); a centre crop may turn either axis, so the tighter rules both.
        #expect(exact.minimumSourceSize(for: Transform(zx: 1.2, zy: 0.8)) == (140, 94))
        #expect(exact.minimumSourceSize(for: Transform(zx: 1.2, zy: 0.8), cropsToAspect: true) == (210, 94))
        // Rotation and flips keep the spacing.
        #expect(exact.minimumSourceSize(for: Transform(theta: 33, flipHorizontal: true)) == (168, 75))
        // Keras's geometry resizes to the output first.
        let keras = try Augmenter(config: AugmentationConfig(), outputHeight: 100, outputWidth: 224, mode: .keras)
        #expect(keras.minimumSourceSize(for: Transform(zx: 2, zy: 2)) == (224, 100))
        // A source just above the size needs no reduction after the decoder's own: the spacing
        // stays at or under the mip threshold.
        let source = exact.minimumSourceSize(for: Transform(zx: 1.1, zy: 1.1))
        let map = AffineMap.exact(Transform(zx: 1.1, zy: 1.1), width: 224, height: 100,
                                  sourceWidth: source.width, sourceHeight: source.height)
        #expect(MipLevel.factors(map) == (1, 1))
    }
}
