import Augmentation
import Foundation
import Tensors
import Testing
@testable import DataPipeline

/// MixUp and CutMix in the loader: the same bytes at any worker count and prefetch depth, equal
/// to mixing the rendered batch by hand, soft targets, and the combinations refused.
@Suite(.timeLimit(.minutes(1))) struct BatchMixingTests {
    static let recipe = try! BatchOpRecipe(ops: [.mixup(MixUp(alpha: 0.4)), .cutmix(CutMix(alpha: 1, p: 0.75))], seed: 42)

    /// One-hot rows of `classes` classes; sample i is class i % classes.
    struct OneHotSource: SampleSource {
        var count: Int
        var classes: Int
        var classMode: ClassMode { .categorical }
        var targets: TargetTable {
            TargetTable.encoding(classes: (0..<count).map { [$0 % classes] }, classCount: classes, mode: .categorical)
        }
        var sampleWeights: [Float]? { nil }
    }

    func loader(source: any SampleSource = IndexSource(count: 37), classes: Int = 37, renderer: SyntheticRenderer,
                workers: Int = 2, depth: Int = 2, policy: BadFilePolicy = .fail, mixing: Bool = true,
                log: LogLines = LogLines()) throws -> DataLoader {
        let options = LoaderOptions(batchSize: 5, shuffle: true, seed: 42, workerCount: workers, prefetchDepth: depth,
                                    badFilePolicy: policy,
                                    batchMixing: mixing ? BatchMixing(recipe: Self.recipe, classCount: classes) : nil)
        return try DataLoader(source: source, renderer: renderer, options: options, log: log.append)
    }

    /// Batches of 4×5×2 samples, mixed by hand from the renderer's values and the recipe's draw
    /// for the batch's epoch position: the independent expectation.
    @Test func loaderBatchesEqualTheRenderedBatchMixedByHand() throws {
        let renderer = SyntheticRenderer(sampleShape: [4, 5, 2])
        let loader = try loader(renderer: renderer)
        var kinds: Set<String> = []
        for epoch in 0..<3 {
            let order = loader.order(epoch: epoch)
            for (b, batch) in Array(loader.epoch(epoch)).enumerated() {
                let indices = Array(order[b * 5 ..< min(b * 5 + 5, 37)])
                let shape = BatchShape(count: indices.count, height: 4, width: 5, channels: 2)
                let mix = Self.recipe.draw(epoch: epoch, batch: b * 5, height: 4, width: 5)
                kinds.insert(mix.name ?? "none")
                var images = renderer.expected(indices, epoch: epoch)
                images.withUnsafeMutableBufferPointer { mix.mixImages($0, shape: shape) }
                var labels = [Float](repeating: 0, count: indices.count * 37)
                for (row, index) in indices.enumerated() { labels[row * 37 + index] = 1 }
                labels.withUnsafeMutableBufferPointer { mix.mixTargets($0, count: indices.count, classes: 37) }
                #expect(batch.inputs.shape == [indices.count, 4, 5, 2])
                #expect(batch.inputs.scalars == images, "epoch \(epoch) batch \(b) \(mix)")
                #expect(batch.targets == Tensor(shape: [indices.count, 37], scalars: labels))
                for row in 0..<indices.count {
                    #expect(abs(labels[row * 37 ..< (row + 1) * 37].reduce(0, +) - 1) < 1e-6)
                }
            }
        }
        #expect(kinds == ["mixup", "cutmix", "none"])
    }

    @Test func sameBytesForAnyWorkerCountDepthAndResumePoint() throws {
        let renderer = SyntheticRenderer(sampleShape: [4, 5, 2], jitter: true)
        let reference = try loader(renderer: renderer, workers: 1, depth: 1)
        for epoch in 0..<2 {
            let expected = Array(reference.epoch(epoch))
            #expect(expected.count == 8)
            for (workers, depth) in [(1, 3), (2, 1), (2, 2), (4, 1), (4, 3)] {
                let other = try loader(renderer: renderer, workers: workers, depth: depth)
                #expect(Array(other.epoch(epoch)) == expected, "workers \(workers), depth \(depth)")
                #expect(Array(other.epoch(epoch, from: 3)) == Array(expected.dropFirst(3)), "resumed, workers \(workers)")
            }
        }
        let plain = Array(try loader(renderer: renderer, mixing: false).epoch(0))
        #expect(plain.map(\.targets.shape) == Array(repeating: [5], count: 7) + [[2]])
        #expect(plain != Array(reference.epoch(0)))
    }

    /// The ImageNet recipe on the sample photos with CutMix and MixUp on: byte-identical batches
    /// and targets at 1, 2 and 8 workers and any prefetch depth.
    @Test func imagenetRecipeWithBatchOpsIsTheSameAtAnyWorkerCount() throws {
        let tree = try OpRecipeRenderingTests().photos()
        let source = try ImageFolder(directory: tree.path)
        let ops: [AugmentationOp] = [
            .randomResizedCrop(RandomResizedCrop(size: .pair(height: 20, width: 24))), .horizontalFlip(Flip()),
            .colorJitter(ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4)), .normalize(.imagenet),
        ]
        let renderer = try ImageFileRenderer(source: source, recipe: OpRecipe(ops: ops, outputHeight: 20, outputWidth: 24, seed: 11))
        let mixing = BatchMixing(recipe: try BatchOpRecipe(ops: [.cutmix(CutMix()), .mixup(MixUp(alpha: 0.5))], seed: 11),
                                 classCount: 2)
        func batches(workers: Int, prefetch: Int) throws -> [Batch] {
            let loader = try DataLoader(source: source, renderer: renderer,
                                        options: LoaderOptions(batchSize: 2, seed: 11, workerCount: workers,
                                                               prefetchDepth: prefetch, batchMixing: mixing))
            return try (0..<4).flatMap { epoch in Array(loader.epoch(epoch)) }
        }
        let one = try batches(workers: 1, prefetch: 1)
        #expect(one.count == 12 && one.allSatisfy { $0.inputs.scalars.allSatisfy(\.isFinite) })
        #expect(one.contains { $0.targets.scalars.contains { $0 > 0 && $0 < 1 } })
        for (workers, prefetch) in [(2, 1), (2, 3), (8, 2), (8, 8)] {
            let other = try batches(workers: workers, prefetch: prefetch)
            #expect(other.map { $0.inputs.scalars.map(\.bitPattern) } == one.map { $0.inputs.scalars.map(\.bitPattern) },
                    "\(workers) workers")
            #expect(other.map(\.targets) == one.map(\.targets), "\(workers) workers")
        }
    }

    /// One-hot targets are mixed as they are; rows stay probabilities.
    @Test func categoricalTargetsAreMixed() throws {
        let renderer = SyntheticRenderer(sampleShape: [3, 3, 1])
        let batches = Array(try loader(source: OneHotSource(count: 20, classes: 3), classes: 3, renderer: renderer).epoch(1))
        #expect(batches.allSatisfy { $0.targets.shape == [$0.count, 3] })
        let rows = batches.flatMap { b in (0..<b.count).map { Array(b.targets.scalars($0 * 3 ..< $0 * 3 + 3)) } }
        #expect(rows.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-6 && $0.allSatisfy { (0...1).contains($0) } })
        #expect(rows.contains { row in row.allSatisfy { $0 != 0 && $0 != 1 } || row.filter { $0 > 0 && $0 < 1 }.count == 2 })
    }

    /// A failing sample still stops the epoch at its batch (the mixing step does not hang it),
    /// and skipped samples are replaced before the batch is mixed.
    @Test func badSamplesWithMixing() throws {
        for workers in [1, 3] {
            let failing = SyntheticRenderer(sampleShape: [4, 5, 2], badIndices: [loaderOrderIndex(at: 12)], jitter: true)
            let run = try loader(renderer: failing, workers: workers).epoch(0)
            #expect(try run.nextBatch() != nil)
            #expect(try run.nextBatch() != nil)
            #expect(throws: SyntheticFailure.self) { try run.nextBatch() }
            let skipping = SyntheticRenderer(sampleShape: [4, 5, 2], badIndices: [3, 17], jitter: true)
            let reference = Array(try loader(renderer: skipping, workers: 1, policy: .skip).epoch(0))
            #expect(Array(try loader(renderer: skipping, workers: workers, depth: 3, policy: .skip).epoch(0)) == reference)
        }
    }

    func loaderOrderIndex(at position: Int) -> Int {
        (try? loader(renderer: SyntheticRenderer(sampleShape: [4, 5, 2])).order(epoch: 0)[position]) ?? 0
    }

    @Test func refusesWhatCannotBeMixed() throws {
        let renderer = SyntheticRenderer(sampleShape: [4, 5, 2])
        func message(_ make: () throws -> DataLoader) -> String {
            do { _ = try make(); return "" } catch { return (error as? DataPipelineError)?.message ?? "\(error)" }
        }
        for mode in [ClassMode.binary, .raw, .input] {
            #expect(message { try loader(source: IndexSource(count: 37, classMode: mode), renderer: renderer) }
                .contains("class_mode '\(mode.rawValue)' has no class probabilities"))
        }
        #expect(message { try loader(classes: 30, renderer: renderer) }.contains("sparse label 30.0 is not a class in 0..<30"))
        #expect(message { try loader(source: OneHotSource(count: 9, classes: 3), classes: 4, renderer: renderer) }
            .contains("targets of shape [3] are not rows of the 4 classes"))
        #expect(message { try loader(renderer: SyntheticRenderer(sampleShape: [20, 2])) }.contains("rank 3"))
        #expect(message { try loader(classes: 0, renderer: renderer) }.contains("at least one class"))
        // Images alone (no targets) are mixed; the targets stay N×0.
        let none = Array(try loader(source: IndexSource(count: 37, classMode: .none), renderer: renderer).epoch(0))
        #expect(none.allSatisfy { $0.targets.shape == [$0.count, 0] })
    }
}
