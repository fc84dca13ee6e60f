import Augmentation
import Foundation
import Imaging
import Testing
import TestSupport
@testable import DataPipeline

@Suite(.timeLimit(.minutes(1))) struct OpRecipeRenderingTests {
    /// The sample photos (JPEG and PNG, 512 px and smaller), copied into two class folders.
    func photos() throws -> TemporaryDirectory {
        let tree = try TemporaryDirectory()
        try tree.makeDirectory("a")
        try tree.makeDirectory("b")
        let files = ["animals/chelsea.jpg", "space/rocket.jpg", "objects/coins.jpg", "objects/camera.png",
                     "objects/coffee.png"]
        for (i, file) in files.enumerated() {
            let name = (file as NSString).lastPathComponent
            try FileManager.default.copyItem(at: RepositoryFiles.url("samples/photos/" + file),
                                             to: URL(fileURLWithPath: tree.path((i % 2 == 0 ? "a/" : "b/") + name)))
        }
        return tree
    }

    /// The ImageNet recipe with hue, grayscale and erasing on: byte-identical batches with 1, 2
    /// and 8 workers at any prefetch depth, over two epochs.
    @Test func batchesAreTheSameForAnyWorkerCountAndPrefetch() throws {
        let tree = try photos()
        let source = try ImageFolder(directory: tree.path)
        let ops: [AugmentationOp] = [
            .randomResizedCrop(RandomResizedCrop(size: .pair(height: 20, width: 24))), .horizontalFlip(Flip()),
            .colorJitter(ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1)),
            .randomGrayscale(RandomGrayscale(p: 0.3)), .normalize(.imagenet), .randomErasing(RandomErasing(p: 0.7)),
        ]
        let renderer = try ImageFileRenderer(source: source, recipe: OpRecipe(ops: ops, outputHeight: 20, outputWidth: 24,
                                                                              seed: 11))
        func batches(workers: Int, prefetch: Int) throws -> [[Float]] {
            let loader = try DataLoader(source: source, renderer: renderer,
                                        options: LoaderOptions(batchSize: 2, seed: 11, workerCount: workers,
                                                               prefetchDepth: prefetch))
            return try (0..<2).flatMap { epoch in Array(loader.epoch(epoch)).map(\.inputs.scalars) }
        }
        let one = try batches(workers: 1, prefetch: 1)
        #expect(one.count == 6 && one.allSatisfy { $0.allSatisfy(\.isFinite) })
        #expect(Set(one.map { $0.map(\.bitPattern) }).count == 6)
        for (workers, prefetch) in [(2, 1), (2, 3), (8, 2), (8, 8)] {
            let other = try batches(workers: workers, prefetch: prefetch)
            #expect(other.map { $0.map(\.bitPattern) } == one.map { $0.map(\.bitPattern) }, "\(workers) workers")
        }
    }

    /// A JPEG decoded at a DCT scale for a small output renders close to the full-size decode:
    /// the transform is drawn for the upright source and rescaled to the decoded image. The two
    /// differ by their reduction filters (libjpeg's 1/4-scale IDCT against the warp's box
    /// prefilter of the full decode): within 4 of 255 on average.
    @Test func scaledDecodesRenderLikeFullDecodes() throws {
        let tree = try photos()
        let source = try ImageFolder(directory: tree.path)
        let index = try #require((0..<source.count).first { source.path(of: $0).hasSuffix("chelsea.jpg") })
        let recipe = try OpRecipe(ops: [.resize(Resize(size: .square(64))), .centerCrop(CenterCrop(size: .square(64)))],
                                  outputHeight: 64, outputWidth: 64, seed: 0)
        let scaled = try ImageFileRenderer(source: source, recipe: recipe).render(path: source.path(of: index),
                                                                                   index: index, epoch: 0)
        let image = try Image.decode(contentsOf: source.path(of: index))
        let t = recipe.transform(epoch: 0, index: index, sourceWidth: image.width, sourceHeight: image.height)
        var full = [Float](repeating: 0, count: 64 * 64 * 3)
        full.withUnsafeMutableBufferPointer { TransformKernel.render(image, transform: t, into: $0) }
        let meanError = zip(scaled, full).map { abs($0 - $1) }.reduce(0, +) / Float(full.count)
        #expect(meanError < 4, "mean difference \(meanError) of 255")
    }

    /// A rotation after a crop: the loader decodes only the crop window (at full scale, and at a
    /// DCT scale for a small output), and the corners the rotation brings in are fill, as
    /// torchvision's crop-then-rotate leaves them, not the photo beyond the crop.
    @Test func aRotationAfterACropDecodesTheCropAndFillsBeyondIt() throws {
        let tree = try photos()
        let source = try ImageFolder(directory: tree.path)
        let index = try #require((0..<source.count).first { source.path(of: $0).hasSuffix("chelsea.jpg") })
        let image = try Image.decode(contentsOf: source.path(of: index))
        for (resize, crop) in [(nil, 120), (64, 48)] as [(Int?, Int)] {
            let ops: [AugmentationOp] = (resize.map { [.resize(Resize(size: .square($0)))] } ?? [])
                + [.centerCrop(CenterCrop(size: .square(crop))),
                   .randomRotation(RandomRotation(degrees: OpRange(30, 30), interpolation: .bilinear, fill: 0))]
            let recipe = try OpRecipe(ops: ops, outputHeight: crop, outputWidth: crop, seed: 0)
            let t = recipe.transform(epoch: 0, index: index, sourceWidth: image.width, sourceHeight: image.height)
            let window = try #require(t.readWindow)
            #expect(window.width < image.width && window.height < image.height, "only the crop is decoded")
            let loaded = try ImageFileRenderer(source: source, recipe: recipe).render(path: source.path(of: index),
                                                                                       index: index, epoch: 0)
            var full = [Float](repeating: 0, count: crop * crop * 3)
            full.withUnsafeMutableBufferPointer { TransformKernel.render(image, transform: t, into: $0) }
            for p in [0, crop - 1, crop * (crop - 1), crop * crop - 1] {
                #expect((0..<3).allSatisfy { loaded[p * 3 + $0] == 0 && full[p * 3 + $0] == 0 }, "corner \(p), crop \(crop)")
            }
            if resize == nil {
                #expect(loaded == full, "the window decode gives the full decode's pixels")
            } else {
                // As `scaledDecodesRenderLikeFullDecodes`, plus the crop's rotated edge, which the
                // reduced decode places to the nearest decoded pixel (rounded outward) where the full
                // decode places it to the source pixel: 4.02 measured.
                let meanError = zip(loaded, full).map { abs($0 - $1) }.reduce(0, +) / Float(full.count)
                #expect(meanError < 5, "mean difference \(meanError) of 255")
            }
        }
    }
}
