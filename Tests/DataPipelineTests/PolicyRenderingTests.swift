import Augmentation
import Foundation
import Testing
import TestSupport
@testable import DataPipeline

@Suite(.timeLimit(.minutes(1))) struct PolicyRenderingTests {
    /// The ImageNet recipe with RandAugment, two pixel ops (blur, solarize), erasing, and AugMix or not:
    /// byte-identical batches with 1 and 2 workers at any prefetch depth, over two epochs; the
    /// pixel stage writes whole pixel values (seen without the normalisation).
    @Test(arguments: [false, true]) func batchesAreTheSameForOneAndTwoWorkers(augMix: Bool) throws {
        let tree = try OpRecipeRenderingTests().photos()
        let source = try ImageFolder(directory: tree.path)
        let base: [AugmentationOp] = [
            .randomResizedCrop(RandomResizedCrop(size: .pair(height: 20, width: 24))), .horizontalFlip(Flip()),
            .colorJitter(ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4)),
            .randAugment(RandAugment(numOps: 2, magnitude: 9)),
            .gaussianBlur(GaussianBlur(kernelWidth: 3, kernelHeight: 3)), .randomSolarize(RandomSolarize(threshold: 200)),
            .normalize(.imagenet), .randomErasing(RandomErasing(p: 0.5)),
        ]
        var ops = base
        if augMix { ops.insert(.augMix(AugMix()), at: 6) }
        let recipe = try OpRecipe(ops: ops, outputHeight: 20, outputWidth: 24, seed: 3)
        let renderer = try ImageFileRenderer(source: source, recipe: recipe)
        func batches(workers: Int, prefetch: Int) throws -> [[UInt32]] {
            let loader = try DataLoader(source: source, renderer: renderer,
                                        options: LoaderOptions(batchSize: 2, seed: 3, workerCount: workers,
                                                               prefetchDepth: prefetch))
            return try (0..<2).flatMap { epoch in Array(loader.epoch(epoch)).map { $0.inputs.scalars.map(\.bitPattern) } }
        }
        let one = try batches(workers: 1, prefetch: 1)
        #expect(one.count == 6 && Set(one).count == 6)
        for (workers, prefetch) in [(2, 1), (2, 4)] {
            #expect(try batches(workers: workers, prefetch: prefetch) == one, "\(workers) workers, prefetch \(prefetch)")
        }
        // Without normalisation the pixel stage's output is whole numbers in 0...255.
        let pixels = try ImageFileRenderer(source: source, recipe: recipe.withoutNormalization)
            .render(path: source.path(of: 0), index: 0, epoch: 0)
        #expect(pixels.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 <= 255 })
    }
}
