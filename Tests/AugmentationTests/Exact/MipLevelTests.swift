import Testing
@testable import Augmentation

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
}
