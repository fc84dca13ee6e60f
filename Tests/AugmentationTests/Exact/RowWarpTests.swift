import Testing
import Imaging
@testable import Augmentation

/// `RowWarp` (the row-affine warp with the first colour steps fused, a planar first pass and the
/// last colour segment to the slot) gives the bytes of `ExactWarp` followed by `ColorPass`, on
/// every CPU path.
@Suite struct RowWarpTests {
    /// A noise image with flat patches (clamped colour steps and equal neighbours).
    static func image(width: Int, height: Int, seed: UInt64) -> Image {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in pixels.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let p = i / 3, x = p % width, y = p / width
            pixels[i] = (x / 7 + y / 5) % 4 == 0 ? (i % 3 == 0 ? 255 : 0) : UInt8(truncatingIfNeeded: state >> 56)
        }
        return try! Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// `t` rendered through the row path at `widest` and through ExactWarp + ColorPass.
    static func compare(_ region: DecodedRegion, _ t: SampleTransform, layout: PixelLayout) -> [(Int32, Int)] {
        let count = t.width * t.height * 3
        var reference = [Float](repeating: .nan, count: count)
        reference.withUnsafeMutableBufferPointer {
            TransformKernel.renderImage(region, transform: t, layout: layout, into: $0, rowWarp: nil)
        }
        var mismatches: [(Int32, Int)] = []
        for widest: Int32 in [0, 1, 2, 3] {
            var fused = [Float](repeating: .nan, count: count)
            fused.withUnsafeMutableBufferPointer {
                TransformKernel.renderImage(region, transform: t, layout: layout, into: $0, rowWarp: widest)
            }
            let differing = zip(bits(fused), bits(reference)).filter { $0 != $1 }.count
            if differing > 0 { mismatches.append((widest, differing)) }
        }
        return mismatches
    }

    /// The ImageNet recipe (all 6 jitter orders, contrast first, between and last; flips;
    /// up- and downscales through the mip level; crops read in place), with hue and grayscale
    /// steps, in both layouts: every path equals the reference bit for bit.
    @Test func equalsTheWarpThenColourPassOnEveryPath() throws {
        let jitters = [ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4),
                       ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1),
                       ColorJitter(brightness: 0.9, contrast: 0, saturation: 0.9)]
        for (j, jitter) in jitters.enumerated() {
            let ops: [AugmentationOp] = [.randomResizedCrop(RandomResizedCrop(size: .square(40))), .horizontalFlip(Flip()),
                                         .colorJitter(jitter), .randomGrayscale(RandomGrayscale(p: 0.2)),
                                         .normalize(.imagenet)]
            let recipe = try OpRecipe(ops: ops, outputHeight: 40, outputWidth: 40, seed: 11)
            for (w, h) in [(97, 61), (23, 150), (300, 41)] {
                let image = Self.image(width: w, height: h, seed: UInt64(w))
                let region = DecodedRegion(image: image, x: 0, y: 0, fullWidth: w, fullHeight: h)
                for index in 0..<24 {
                    let t = recipe.transform(epoch: 0, index: index, sourceWidth: w, sourceHeight: h)
                    for layout in [PixelLayout.hwc, .chw] {
                        let mismatches = Self.compare(region, t, layout: layout)
                        #expect(mismatches.isEmpty, "jitter \(j), \(w)x\(h), index \(index), \(layout): \(mismatches)")
                    }
                }
            }
        }
    }

    /// Without colour steps the normalisation is fused; a width that is not a multiple of 8 or
    /// 16 and a sample smaller than a gather block take the tails.
    @Test func tailsAndNoColourSteps() throws {
        for size in [1, 5, 17, 33] {
            let ops: [AugmentationOp] = [.randomResizedCrop(RandomResizedCrop(size: .square(size))), .horizontalFlip(Flip()),
                                         .normalize(.imagenet)]
            let recipe = try OpRecipe(ops: ops, outputHeight: size, outputWidth: size, seed: 3)
            let image = Self.image(width: 45, height: 38, seed: 5)
            let region = DecodedRegion(image: image, x: 0, y: 0, fullWidth: 45, fullHeight: 38)
            for index in 0..<8 {
                let t = recipe.transform(epoch: 1, index: index, sourceWidth: 45, sourceHeight: 38)
                #expect(Self.compare(region, t, layout: .hwc).isEmpty, "size \(size), index \(index)")
            }
        }
    }

    /// The path is taken for crops and flips and refused for a rotation, a one-pixel source and
    /// coordinates beyond the 32.32 range.
    @Test func appliesOnlyToRowAffineMaps() {
        let pixels = [UInt8](repeating: 0, count: 12)
        pixels.withUnsafeBufferPointer { source in
            func row(_ map: AffineMap, width: Int = 2) -> RowWarp {
                RowWarp(source: source, sourceWidth: width, sourceHeight: 2, rowStride: 6, map: map)
            }
            #expect(row(AffineMap(a: -0.5, b: 0, c: 1, d: 0, e: 0.5, f: 0)).applies(outputWidth: 4, outputHeight: 4))
            #expect(!row(AffineMap(a: 0.5, b: 0.1, c: 0, d: 0, e: 0.5, f: 0)).applies(outputWidth: 4, outputHeight: 4))
            #expect(!row(AffineMap(a: 0.5, b: 0, c: 0, d: 0.1, e: 0.5, f: 0)).applies(outputWidth: 4, outputHeight: 4))
            #expect(!row(AffineMap(a: 0.5, b: 0, c: 0, d: 0, e: 0.5, f: 0), width: 1).applies(outputWidth: 4, outputHeight: 4))
            #expect(!row(AffineMap(a: 0.5, b: 0, c: 2e9, d: 0, e: 0.5, f: 0)).applies(outputWidth: 4, outputHeight: 4))
            #expect(!row(AffineMap(a: .nan, b: 0, c: 0, d: 0, e: 0.5, f: 0)).applies(outputWidth: 4, outputHeight: 4))
        }
    }
}
