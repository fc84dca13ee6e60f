import Testing
import Foundation
@testable import Augmentation
import Randomness

/// The C bilinear spans (`aug_bilinear_span`, AVX2) against ExactWarp's Swift loop, bit for bit:
/// random affine maps (rotations, zooms, flips, shifts partly outside the source), channel counts
/// 1–4, HWC and CHW, both interpolation orders, every fill mode, with and without colour clamps.
/// On a CPU without AVX2 both sides run the Swift loop and the test is trivially true.
@Suite struct BilinearSpanTests {
    struct Draws {
        let random: CounterRandom
        var slot: UInt64 = 0
        mutating func unit() -> Double { slot += 1; return random.unit(slot) }
        mutating func range(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }
    }

    static func render(_ pixels: [UInt8], width: Int, height: Int, channels: Int, map: AffineMap,
                       fill: FillMode, order: InterpolationOrder, finish: PixelFinish, hwc: Bool,
                       outputWidth: Int, outputHeight: Int, vectorized: Bool) -> [Float] {
        var output = [Float](repeating: .nan, count: outputWidth * outputHeight * channels)
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { out in
                var warp = ExactWarp(source: source, sourceWidth: width, sourceHeight: height, channels: channels,
                                     rowStride: width * channels,
                                     map: map, fill: fill, cval: 7, order: order, finish: finish, output: out,
                                     width: outputWidth, height: outputHeight,
                                     columnStride: hwc ? channels : 1,
                                     channelStride: hwc ? 1 : outputWidth * outputHeight)
                warp.vectorized = vectorized
                warp.run()
            }
        }
        return output
    }

    @Test(arguments: [1, 2, 3, 4])
    func spansMatchTheSwiftLoop(channels: Int) {
        var draws = Draws(random: CounterRandom([5, 0, UInt64(channels)]))
        for trial in 0..<24 {
            let width = 2 + Int(draws.unit() * 40), height = 2 + Int(draws.unit() * 30)
            let pixels = (0..<(width * height * channels)).map { _ in UInt8(draws.unit() * 256) }
            let (outputWidth, outputHeight) = (1 + Int(draws.unit() * 45), 1 + Int(draws.unit() * 12))
            let angle = draws.range(-3.2, 3.2), zoom = draws.range(0.3, 2.5)
            let flip: Double = draws.unit() < 0.5 ? -1 : 1
            let (cos, sin) = (Foundation.cos(angle) * zoom, Foundation.sin(angle) * zoom)
            let map = AffineMap(a: flip * cos, b: -sin, c: draws.range(-0.3, 1.2) * Double(width),
                                d: flip * sin, e: cos, f: draws.range(-0.3, 1.2) * Double(height))
            var finish = PixelFinish()
            finish.scale = SIMD4(1 / 255, 0.5, 2, 1)
            finish.bias = SIMD4(-0.5, 0.25, 0, 3)
            if trial % 3 == 0 {
                finish.clamps = true
                finish.shift = SIMD4(repeating: Float(draws.range(-60, 60)))
                finish.shiftLow = .zero
                finish.shiftHigh = SIMD4(repeating: 255)
                finish.brightness = SIMD4(repeating: Float(draws.range(0.5, 1.5)))
                finish.brightLow = .zero
                finish.brightHigh = SIMD4(repeating: 255)
            }
            for fill in FillMode.allCases {
                for order in [InterpolationOrder.bilinear, .nearest] {
                    for hwc in [true, false] {
                        func run(_ vectorized: Bool) -> [Float] {
                            Self.render(pixels, width: width, height: height, channels: channels, map: map,
                                        fill: fill, order: order, finish: finish, hwc: hwc,
                                        outputWidth: outputWidth, outputHeight: outputHeight, vectorized: vectorized)
                        }
                        let (fast, swift) = (run(true), run(false))
                        #expect(fast.map(\.bitPattern) == swift.map(\.bitPattern),
                                "trial \(trial) \(width)x\(height)→\(outputWidth)x\(outputHeight) \(fill) \(order) hwc \(hwc)")
                    }
                }
            }
        }
    }

    /// A long identity row through the whole-row clamped loop: the spans must reproduce the
    /// source exactly (integer coordinates, zero fractions) up to the last column.
    @Test func identityRowsAreExact() {
        let (width, height) = (37, 3)
        let pixels = (0..<(width * height * 3)).map { UInt8(($0 * 53) % 256) }
        let out = Self.render(pixels, width: width, height: height, channels: 3, map: .identity, fill: .nearest,
                              order: .bilinear, finish: PixelFinish(), hwc: true,
                              outputWidth: width, outputHeight: height, vectorized: true)
        #expect(out == pixels.map(Float.init))
    }
}
