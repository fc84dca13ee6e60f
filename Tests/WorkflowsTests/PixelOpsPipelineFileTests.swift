import Augmentation
import Foundation
import Testing
import Yams
@testable import Workflows

/// The pixel ops and the policies under `augmentation.ops`: torchvision's names and defaults,
/// a round trip through the recorded pipeline, and mistakes naming the file, line and key.
@Suite struct PixelOpsPipelineFileTests {
    let files = OpsPipelineFileTests()

    @Test func namesAndDefaultsAreTorchvisions() throws {
        let file = try files.parse("""
            augmentation:
              ops:
                - random_resized_crop: {size: 224, ratio: [0.75, 1.25]}
                - rand_augment
                - trivial_augment_wide: {num_magnitude_bins: 15}
                - auto_augment: {policy: imagenet}
                - gaussian_blur: {kernel_size: [3, 5], sigma: 0.7}
                - random_posterize: {bits: 4}
                - random_solarize: {threshold: 192, p: 0.2}
                - random_equalize
                - random_autocontrast: {p: 0.3}
                - random_adjust_sharpness: {sharpness_factor: 2}
                - random_invert: {p: 0.1}
                - aug_mix: {severity: 4, chain_depth: 2}
                - normalize: {mean: imagenet, std: imagenet}
            """)
        let ops = try #require(file.augmentation.ops)
        #expect(Array(ops[1...11]) == [
            .randAugment(RandAugment(numOps: 2, magnitude: 9, numMagnitudeBins: 31, interpolation: .nearest, fill: 0)),
            .trivialAugmentWide(TrivialAugmentWide(numMagnitudeBins: 15)),
            .autoAugment(AutoAugment(policy: .imagenet)),
            .gaussianBlur(GaussianBlur(kernelWidth: 3, kernelHeight: 5, sigma: OpRange(0.7, 0.7))),
            .randomPosterize(RandomPosterize(bits: 4, p: 0.5)),
            .randomSolarize(RandomSolarize(threshold: 192, p: 0.2)),
            .randomEqualize(RandomApplication(p: 0.5)),
            .randomAutocontrast(RandomApplication(p: 0.3)),
            .randomAdjustSharpness(RandomAdjustSharpness(sharpnessFactor: 2, p: 0.5)),
            .randomInvert(RandomApplication(p: 0.1)),
            .augMix(AugMix(severity: 4, mixtureWidth: 3, chainDepth: 2, alpha: 1, allOps: true, interpolation: .bilinear)),
        ])
        let yaml = try YAMLEncoder().encode(file)
        #expect(try PipelineFileLoader.parse(yaml: yaml, file: "again.yaml").augmentation == file.augmentation)
        let filled = try files.parse("augmentation:\n  ops:\n    - auto_augment: {fill: 128, interpolation: bilinear}\n")
        #expect(filled.augmentation.ops == [.autoAugment(AutoAugment(interpolation: .bilinear, fill: 128))])
        let blur = try files.parse("augmentation:\n  ops:\n    - gaussian_blur: {kernel_size: 9}\n")
        #expect(blur.augmentation.ops == [.gaussianBlur(GaussianBlur(kernelWidth: 9, kernelHeight: 9))])
    }

    @Test func badParametersNameTheLineAndKey() {
        func refused(_ op: String, key: String, saying words: String) {
            let error = files.failure("augmentation:\n  ops:\n    - horizontal_flip\n    - \(op)\n")
            #expect(error?.key == "augmentation.ops[1].\(key)", "\(op): \(String(describing: error))")
            #expect(error?.line == 7, "\(op)")
            #expect(error?.reason.contains(words) == true, "\(op): \(error?.reason ?? "no error")")
        }
        refused("rand_augment: {magnitude: 31}", key: "rand_augment.magnitude", saying: "0..<num_magnitude_bins")
        refused("rand_augment: {num_ops: -1}", key: "rand_augment.num_ops", saying: "0...64")
        refused("rand_augment: {num_magnitude_bins: 1, magnitude: 0}", key: "rand_augment.num_magnitude_bins",
                saying: "at least 2")
        refused("rand_augment: {magnitude: 2.5}", key: "rand_augment.magnitude", saying: "integer")
        refused("rand_augment: {interpolation: bicubic}", key: "rand_augment.interpolation", saying: "bilinear, nearest")
        refused("trivial_augment_wide: {bins: 31}", key: "trivial_augment_wide.bins", saying: "unknown parameter")
        refused("auto_augment: {policy: cifar10}", key: "auto_augment.policy", saying: "imagenet")
        refused("auto_augment: {fill: 300}", key: "auto_augment.fill", saying: "[0, 255]")
        refused("gaussian_blur: {kernel_size: 4}", key: "gaussian_blur.kernel_size", saying: "odd")
        refused("gaussian_blur: {kernel_size: [3, 5, 7]}", key: "gaussian_blur.kernel_size", saying: "2 numbers")
        refused("gaussian_blur: {sigma: 1}", key: "gaussian_blur", saying: "missing required parameter 'kernel_size'")
        refused("gaussian_blur: {kernel_size: 3, sigma: [0, 1]}", key: "gaussian_blur.sigma", saying: "positive")
        refused("random_posterize: {bits: 9}", key: "random_posterize.bits", saying: "0...8")
        refused("random_solarize: {threshold: 1000}", key: "random_solarize.threshold", saying: "[0, 255]")
        refused("random_solarize: {p: 0.5}", key: "random_solarize", saying: "'threshold'")
        refused("random_adjust_sharpness: {sharpness_factor: -1}", key: "random_adjust_sharpness.sharpness_factor",
                saying: ">= 0")
        refused("random_invert: {p: 1.5}", key: "random_invert.p", saying: "[0, 1]")
        refused("random_equalize: {q: 1}", key: "random_equalize.q", saying: "unknown parameter")
        refused("aug_mix: {severity: 11}", key: "aug_mix.severity", saying: "1...10")
        refused("aug_mix: {mixture_width: 0}", key: "aug_mix.mixture_width", saying: "1...16")
        refused("aug_mix: {alpha: 0}", key: "aug_mix.alpha", saying: "positive")
        refused("aug_mix: {all_ops: maybe}", key: "aug_mix.all_ops", saying: "true or false")
    }

    /// The stages' order: pixel ops after colour and before `normalize`; a policy's fill must
    /// agree with an earlier rotation's.
    @Test func pixelOpsComeBetweenColourAndNormalisation() {
        let late = files.failure("augmentation:\n  ops:\n    - normalize: {mean: imagenet, std: imagenet}\n    - random_invert\n")
        #expect(late?.key == "augmentation.ops[1].random_invert")
        let early = files.failure("augmentation:\n  ops:\n    - rand_augment\n    - color_jitter: {brightness: 0.2}\n")
        #expect(early?.key == "augmentation.ops[1].color_jitter")
        let mixFirst = files.failure("augmentation:\n  ops:\n    - aug_mix\n    - random_invert\n")
        #expect(mixFirst?.key == "augmentation.ops[1].random_invert")
        #expect(mixFirst?.reason.contains("last op") == true)
        let fills = files.failure("augmentation:\n  ops:\n    - random_rotation: {degrees: 10, fill: 5}\n    - rand_augment\n")
        #expect(fills?.key == "augmentation.ops[1].rand_augment.fill")
    }
}
