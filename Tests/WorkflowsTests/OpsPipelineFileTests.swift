import Augmentation
import Foundation
import Testing
import TestSupport
import Yams
@testable import Workflows

/// `augmentation.ops` in pipeline files: the issue's example reads as the ImageNet recipe, it
/// round-trips through the recorded pipeline, and every mistake names the file, line and key.
@Suite struct OpsPipelineFileTests {
    func parse(_ yaml: String) throws(PipelineFileError) -> PipelineFile {
        try PipelineFileLoader.parse(yaml: "data:\n  directory: d\n  target_size: [224, 224]\n" + yaml, file: "p.yaml")
    }

    func failure(_ yaml: String) -> PipelineFileError? {
        do { _ = try parse(yaml); return nil } catch { return error }
    }

    static let imagenet = """
        augmentation:
          ops:
            - random_resized_crop: {size: 224, scale: [0.08, 1.0], ratio: [0.75, 1.3333]}
            - horizontal_flip: {p: 0.5}
            - color_jitter: {brightness: 0.4, contrast: 0.4, saturation: 0.4}
            - normalize: {mean: imagenet, std: imagenet}
        """

    @Test func theIssuesExampleIsTheImageNetRecipe() throws {
        let file = try parse(Self.imagenet)
        let ops = try #require(file.augmentation.ops)
        #expect(ops == [
            .randomResizedCrop(RandomResizedCrop(size: .square(224), scale: OpRange(0.08, 1), ratio: OpRange(0.75, 1.3333))),
            .horizontalFlip(Flip(p: 0.5)),
            .colorJitter(ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4)),
            .normalize(.imagenet),
        ])
        let bare = try parse("augmentation:\n  ops:\n    - horizontal_flip\n    - random_grayscale\n")
        #expect(bare.augmentation.ops == [.horizontalFlip(Flip()), .randomGrayscale(RandomGrayscale())])
    }

    @Test func opsRoundTripThroughTheRecordedPipeline() throws {
        let recipe = try parse("""
            augmentation:
              ops:
                - random_affine: {degrees: 10, translate: [0.1, 0.2], scale: [0.9, 1.1], shear: [-5, 5, -2, 2]}
                - random_resized_crop: {size: [224, 224], ratio: [0.75, 1.25]}
                - color_jitter: {brightness: [0.5, 1.5], hue: 0.1}
                - random_grayscale: {p: 0.2}
                - normalize: {mean: [0.5, 0.5, 0.5], std: 0.5}
                - random_erasing: {p: 0.25, value: [1, 2, 3]}
              validation_split: 0.2
            """)
        let yaml = try YAMLEncoder().encode(recipe)
        let again = try PipelineFileLoader.parse(yaml: yaml, file: "again.yaml")
        #expect(again.augmentation == recipe.augmentation)
        #expect(again.augmentation.config.validationSplit == 0.2)
    }

    @Test func randomCropTakesTorchvisionsPadding() throws {
        let file = try parse("augmentation:\n  ops:\n    - random_crop: {size: 224, padding: [4, 8], pad_if_needed: true, padding_mode: edge}\n")
        #expect(file.augmentation.ops == [.randomCrop(RandomCrop(size: .square(224), padding: [4, 8, 4, 8], padIfNeeded: true,
                                                                 paddingMode: .nearest))])
        for (word, mode) in [("constant", FillMode.constant), ("edge", .nearest), ("reflect", .mirror), ("symmetric", .reflect)] {
            let parsed = try parse("augmentation:\n  ops:\n    - random_crop: {size: 224, padding: 4, padding_mode: \(word)}\n")
            #expect(parsed.augmentation.ops == [.randomCrop(RandomCrop(size: .square(224), padding: [4, 4, 4, 4], paddingMode: mode))])
            // Written back under torchvision's name.
            let again = try PipelineFileLoader.parse(yaml: try YAMLEncoder().encode(parsed), file: "again.yaml")
            #expect(again.augmentation.ops == parsed.augmentation.ops, "\(word)")
        }
        for word in ["wrap", "mirror", "Reflect"] {
            let bad = failure("augmentation:\n  ops:\n    - random_crop: {size: 224, padding: 4, padding_mode: \(word)}\n")
            #expect(bad?.key == "augmentation.ops[0].random_crop.padding_mode", "\(word)")
            #expect(bad?.reason.contains("'\(word)' is not one of: constant, edge, reflect, symmetric") == true, "\(word)")
        }
        let mixed = failure("augmentation:\n  ops:\n    - random_crop: {size: 224, padding: 4, padding_mode: edge}\n    - random_rotation: {degrees: 10}\n")
        #expect(mixed?.key == "augmentation.ops[1].random_rotation.fill")
    }

    @Test func mistakesNameTheLineAndKey() {
        let unknown = failure("augmentation:\n  ops:\n    - horizontal_flip\n    - random_sepia: {p: 1}\n")
        #expect(unknown?.key == "augmentation.ops[1].random_sepia")
        #expect(unknown?.line == 7)
        #expect(unknown?.reason.contains("unknown op 'random_sepia'") == true)

        let parameter = failure("augmentation:\n  ops:\n    - color_jitter: {brightnes: 0.4}\n")
        #expect(parameter?.key == "augmentation.ops[0].color_jitter.brightnes")
        #expect(parameter?.line == 6)

        let value = failure("augmentation:\n  ops:\n    - horizontal_flip: {p: 2}\n")
        #expect(value?.key == "augmentation.ops[0].horizontal_flip.p")
        #expect(value?.line == 6)

        let order = failure("augmentation:\n  ops:\n    - normalize: {mean: imagenet, std: imagenet}\n    - horizontal_flip\n")
        #expect(order?.key == "augmentation.ops[1].horizontal_flip")
        #expect(order?.line == 7)

        let mixed = failure("augmentation:\n  rotation_range: 10\n  ops:\n    - horizontal_flip\n")
        #expect(mixed?.key == "augmentation.rotation_range")
        #expect(mixed?.line == 5)

        let size = failure("augmentation:\n  ops:\n    - center_crop: {size: 200}\n")
        #expect(size?.key == "augmentation.ops")
        #expect(size?.reason.contains("200x200") == true)

        let statistic = failure("augmentation:\n  ops:\n    - normalize: {mean: cifar, std: imagenet}\n")
        #expect(statistic?.key == "augmentation.ops[0].normalize.mean")
    }
}
