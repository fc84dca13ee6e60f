import Imaging
import Testing
@testable import Augmentation

/// `.keras` mode with a source of another size: Keras's `load_img` resize (PIL `nearest`) first,
/// then the Keras warp at the output size.
@Suite struct KerasResizeTests {
    @Test func nearest_resize_matches_pillow_including_exact_halves() throws {
        // A 64-wide ramp resized to 100 columns; expected values printed by Pillow 13
        // (`Image.resize((100, 1), NEAREST)`): column 12 reads 7, not 8 = (12 + 0.5)·0.64.
        let image = try Image(width: 64, height: 1, channels: 1, pixels: (0..<64).map(UInt8.init))
        let augmenter = try Augmenter(config: AugmentationConfig(), outputHeight: 1, outputWidth: 100, mode: .keras)
        let out = augmenter.render(image, transform: .identity)
        #expect(out.prefix(20).map { Int($0) } == [0, 0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 7, 8, 9, 9, 10, 11, 11, 12])
        #expect(Int(out[99]) == 63)
    }

    @Test func resize_then_warp_equals_warp_of_the_resized_image() throws {
        let (sw, sh, w, h) = (23, 17, 12, 9)
        let pixels = (0..<(sw * sh * 3)).map { UInt8(($0 * 53 + 11) % 256) }
        let image = try Image(width: sw, height: sh, channels: 3, pixels: pixels)
        let identity = try Augmenter(config: AugmentationConfig(), outputHeight: h, outputWidth: w, mode: .keras)
        let resized = identity.render(image, transform: .identity)
        var config = AugmentationConfig()
        config.fillMode = .reflect
        let t = Transform(theta: 17, tx: 1.5, ty: -2, shear: 5, zx: 0.9, zy: 1.1)
        let direct = try Augmenter(config: config, outputHeight: h, outputWidth: w, mode: .keras).render(image, transform: t)
        let reference = KerasAffine.apply(resized, shape: [h, w, 3], axes: .hwc, transform: t, fill: .reflect)
        #expect(direct == reference)
    }
}
