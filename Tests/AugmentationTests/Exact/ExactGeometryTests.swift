import Imaging
import Testing
@testable import Augmentation

/// `.exact` mode on its own terms: true centre, shifts along the named axis, exact quarter turns,
/// untouched identity, true-period fill modes, anti-aliased downscales.
@Suite struct ExactGeometryTests {
    static func dotImage(width: Int, height: Int, row: Int, column: Int) throws -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height)
        pixels[row * width + column] = 255
        return try Image(width: width, height: height, channels: 1, pixels: pixels)
    }

    static func augmenter(_ height: Int, _ width: Int, fill: FillMode = .constant,
                          order: InterpolationOrder = .bilinear, layout: PixelLayout = .hwc) throws -> Augmenter {
        var config = AugmentationConfig()
        config.fillMode = fill
        config.interpolationOrder = order
        return try Augmenter(config: config, outputHeight: height, outputWidth: width, layout: layout)
    }

    /// The (row, column) of every non-zero output value.
    static func lit(_ output: [Float], width: Int) -> [[Int]] {
        output.indices.filter { output[$0] != 0 }.map { [$0 / width, $0 % width] }
    }

    @Test func bright_pixel_lands_where_the_geometry_says_on_a_non_square_image() throws {
        // 9 rows × 15 columns: true centre (row 4, column 7); the dot sits 2 columns right of it.
        let image = try Self.dotImage(width: 15, height: 9, row: 4, column: 9)
        let a = try Self.augmenter(9, 15)
        // +90° turns content counter-clockwise: right of centre → above centre.
        let turned = a.render(image, transform: Transform(theta: 90))
        #expect(Self.lit(turned, width: 15) == [[2, 7]])
        #expect(turned[2 * 15 + 7] == 255)
        // tx moves along columns: output column c reads input column c + tx.
        #expect(Self.lit(a.render(image, transform: Transform(tx: 3)), width: 15) == [[4, 6]])
        // ty moves along rows.
        #expect(Self.lit(a.render(image, transform: Transform(ty: -2)), width: 15) == [[6, 9]])
        // zx = 0.5 magnifies columns about the true centre: 2 right of centre → 4 right.
        let zoomed = a.render(image, transform: Transform(zx: 0.5))
        #expect(zoomed[4 * 15 + 11] == 255)
        // Horizontal flip mirrors about the true centre.
        #expect(Self.lit(a.render(image, transform: Transform(flipHorizontal: true)), width: 15) == [[4, 5]])
        #expect(Self.lit(a.render(image, transform: Transform(flipVertical: true)), width: 15) == [[4, 9]])
    }

    @Test func quarter_turn_of_a_square_image_is_an_exact_permutation() throws {
        let n = 6
        let pixels = (0..<(n * n * 3)).map { UInt8(($0 * 37) % 251) }
        let image = try Image(width: n, height: n, channels: 3, pixels: pixels)
        for order in [InterpolationOrder.bilinear, .nearest] {
            let out = try Self.augmenter(n, n, order: order).render(image, transform: Transform(theta: 90))
            for r in 0..<n { for c in 0..<n { for ch in 0..<3 {
                #expect(out[(r * n + c) * 3 + ch] == Float(image[c, n - 1 - r, ch]))
            } } }
            #expect(out.sorted() == pixels.map(Float.init).sorted())
        }
    }

    @Test func identity_returns_the_input_untouched_in_both_layouts() throws {
        let (h, w) = (5, 7)
        let pixels = (0..<(h * w * 3)).map { UInt8(($0 * 91 + 3) % 256) }
        let image = try Image(width: w, height: h, channels: 3, pixels: pixels)
        for fill in FillMode.allCases {
            #expect(try Self.augmenter(h, w, fill: fill).render(image, transform: .identity) == pixels.map(Float.init))
        }
        let chw = try Self.augmenter(h, w, layout: .chw).render(image, transform: .identity)
        for r in 0..<h { for c in 0..<w { for ch in 0..<3 {
            #expect(chw[ch * h * w + r * w + c] == Float(image[r, c, ch]))
        } } }
    }

    @Test func fill_modes_use_true_periods() throws {
        let w = 6
        let image = try Image(width: w, height: 1, channels: 1, pixels: [10, 20, 30, 40, 50, 60])
        // wrap: a shift by the full width (period n) is the identity.
        #expect(try Self.augmenter(1, w, fill: .wrap).render(image, transform: Transform(tx: Double(w)))
                == [10, 20, 30, 40, 50, 60])
        #expect(try Self.augmenter(1, w, fill: .wrap).render(image, transform: Transform(tx: 2))
                == [30, 40, 50, 60, 10, 20])
        // reflect: half-sample symmetric, … b a | a b …
        #expect(try Self.augmenter(1, w, fill: .reflect).render(image, transform: Transform(tx: -2))
                == [20, 10, 10, 20, 30, 40])
        // mirror: about the edge pixels, … c b | a b …, period 2n − 2.
        #expect(try Self.augmenter(1, w, fill: .mirror).render(image, transform: Transform(tx: -2))
                == [30, 20, 10, 20, 30, 40])
        #expect(try Self.augmenter(1, w, fill: .mirror).render(image, transform: Transform(tx: Double(2 * w - 2)))
                == [10, 20, 30, 40, 50, 60])
        #expect(try Self.augmenter(1, w, fill: .nearest).render(image, transform: Transform(tx: 3))
                == [40, 50, 60, 60, 60, 60])
        #expect(try Self.augmenter(1, w, fill: .constant).render(image, transform: Transform(tx: -1.5))
                == [0, 5, 15, 25, 35, 45])
    }

    @Test func resize_keeps_flat_images_flat_and_downscales_without_aliasing() throws {
        let n = 64
        let checker = (0..<(n * n)).map { UInt8((($0 / n) + ($0 % n)) % 2 == 0 ? 0 : 255) }
        let image = try Image(width: n, height: n, channels: 1, pixels: checker)
        let small = try Self.augmenter(16, 16).render(image, transform: .identity)
        #expect(small.allSatisfy { abs($0 - 127.5) < 1 })
        let turned = try Self.augmenter(16, 16, fill: .nearest).render(image, transform: Transform(theta: 30, zx: 1.1))
        #expect(turned.allSatisfy { abs($0 - 127.5) < 1 })
        // A 2× downscale of 2×2 blocks is exact: the mip level holds the blocks' means.
        let blocks: [UInt8] = (0..<64).map { (i: Int) -> UInt8 in
            let blockRow = i / 8 / 2, blockColumn = i % 8 / 2
            return UInt8((blockRow * 4 + blockColumn) * 10)
        }
        let halved = try Self.augmenter(4, 4).render(try Image(width: 8, height: 8, channels: 1, pixels: blocks),
                                                     transform: .identity)
        #expect(halved == (0..<16).map { Float($0 * 10) })
        let flat = try Image(width: 10, height: 7, channels: 1, pixels: [UInt8](repeating: 77, count: 70))
        #expect(try Self.augmenter(23, 31, fill: .nearest).render(flat, transform: Transform(theta: 13, zx: 0.8))
                .allSatisfy { abs($0 - 77) < 1e-4 })
    }

    @Test func colour_steps_and_rescale_are_fused_per_channel() throws {
        let image = try Image(width: 2, height: 1, channels: 3, pixels: [200, 100, 0, 10, 20, 250])
        var config = AugmentationConfig()
        config.rescale = 1.0 / 255
        let a = try Augmenter(config: config, outputHeight: 1, outputWidth: 2)
        let shifted = a.render(image, transform: Transform(channelShiftIntensity: 30, brightness: 2))
        let expected: [Float] = [230, 130, 30, 40, 50, 280].map { min(min($0, 255) * 2, 255) / 255 }
        for (g, e) in zip(shifted, expected) { #expect(abs(g - e) < 1e-6) }
    }

    @Test func fused_feature_wise_statistics_match_the_second_pass() throws {
        var config = AugmentationConfig()
        config.featurewiseStdNormalization = true
        config.rescale = 1.0 / 255
        let images = try (0..<4).map { k in
            try Image(width: 5, height: 4, channels: 3, pixels: (0..<60).map { UInt8(($0 * 13 + k * 29) % 256) })
        }
        var standardizer = Standardizer(config: config)
        try standardizer.fit(images: images, config: config)
        let fused = try Augmenter(config: config, outputHeight: 4, outputWidth: 5, standardizer: standardizer)
            .render(images[1], transform: .identity)
        var reference = images[1].pixels.map(Float.init)
        reference.withUnsafeMutableBufferPointer { standardizer.standardize($0, height: 4, width: 5, channels: 3) }
        for (g, e) in zip(fused, reference) { #expect(abs(g - e) < 1e-5) }
    }

    @Test func unfitted_feature_wise_config_is_refused() {
        var config = AugmentationConfig()
        config.featurewiseCenter = true
        #expect(throws: AugmentationError.self) {
            try Augmenter(config: config, outputHeight: 4, outputWidth: 4)
        }
    }
}
