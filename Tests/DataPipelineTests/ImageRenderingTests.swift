import Augmentation
import Foundation
import Imaging
import Benchmarks
import Testing
import TestSupport
@testable import DataPipeline

@Suite(.timeLimit(.minutes(1))) struct ImageRenderingTests {
    /// A 4×3 RGB image whose samples are distinct: value = 20·y + 5·x + c.
    static let pattern: Image = {
        var image = Image(width: 4, height: 3, channels: 3)
        for y in 0..<3 { for x in 0..<4 { for c in 0..<3 { image[y, x, c] = UInt8(20 * y + 5 * x + c) } } }
        return image
    }()

    /// Two classes of PNGs, one corrupt PNG and one BMP (listed by Keras's whitelist, not decodable here).
    func folder() throws -> TemporaryDirectory {
        let tree = try TemporaryDirectory()
        try tree.makeDirectory("a")
        try tree.makeDirectory("b")
        for name in ["a/0.png", "a/1.png", "b/2.png"] {
            try Self.pattern.write(to: tree.path + "/" + name, as: .png())
        }
        try tree.write("b/3.png", "not a png")
        try tree.write("b/4.bmp", "BM")
        return tree
    }

    @Test func identityRecipeReproducesThePixels() throws {
        let tree = try folder()
        let source = try ImageFolder(directory: tree.path)
        let renderer = try ImageFileRenderer(source: source, config: AugmentationConfig(), height: 3, width: 4, seed: 1)
        #expect(renderer.sampleShape == [3, 4, 3])
        let loader = try DataLoader(source: source, renderer: renderer,
                                    options: LoaderOptions(batchSize: 3, shuffle: false, workerCount: 2))
        let run = loader.epoch(0)
        let batch = try #require(try run.nextBatch())
        #expect(batch.inputs.shape == [3, 3, 4, 3])
        #expect(batch.inputs.scalars == Array(repeating: Self.pattern.pixels.map(Float.init), count: 3).flatMap { $0 })
        #expect(batch.targets.scalars == [1, 0, 1, 0, 0, 1])
        #expect { try run.nextBatch() } throws: { error in
            let imageError = error as? ImageError
            return imageError?.path == tree.path + "/b/3.png"
        }
    }

    @Test func badFilesAreSkippedAndReported() throws {
        let tree = try folder()
        let source = try ImageFolder(directory: tree.path)
        let renderer = try ImageFileRenderer(source: source, config: AugmentationConfig(), height: 3, width: 4, seed: 1)
        let log = LogLines()
        let loader = try DataLoader(source: source, renderer: renderer,
                                    options: LoaderOptions(batchSize: 2, shuffle: false, workerCount: 2, badFilePolicy: .skip),
                                    log: log.append)
        let run = loader.epoch(0)
        let batches = Array(run)
        #expect(batches.map(\.count) == [2, 2, 1])
        let summary = try run.finish()
        #expect(summary.skipped.map(\.index) == [3, 4])
        #expect(summary.skipped[0].reason.contains("b/3.png"))
        #expect(log.all.count == 2)
    }

    @Test func augmentedBatchesAreTheSameForAnyWorkerCount() throws {
        let tree = try folder()
        let source = try ImageFolder(directory: tree.path)
        var config = AugmentationConfig()
        config.rotationRange = 30
        config.horizontalFlip = true
        config.zoomRange = ZoomRange(0.3)
        let renderer = try ImageFileRenderer(source: source, config: config, height: 5, width: 5,
                                             colorMode: .grayscale, seed: 9)
        func batches(workers: Int) throws -> [Float] {
            let loader = try DataLoader(source: source, renderer: renderer,
                                        options: LoaderOptions(batchSize: 2, seed: 9, workerCount: workers,
                                                               prefetchDepth: workers, badFilePolicy: .skip),
                                        log: { _ in })
            return Array(loader.epoch(1)).flatMap(\.inputs.scalars)
        }
        let one = try batches(workers: 1)
        #expect(one.count == 5 * 25)
        #expect(try batches(workers: 3) == one)
    }

    @Test func keepAspectRatioCropsTheCentre() throws {
        var wide = Image(width: 6, height: 2, channels: 1)
        for x in 0..<6 { wide[0, x, 0] = UInt8(x); wide[1, x, 0] = UInt8(10 + x) }
        let square = CenterCrop.crop(wide, toAspectWidth: 5, height: 5)
        #expect(square.width == 2 && square.height == 2)
        #expect(square.pixels == [2, 3, 12, 13])
        #expect(CenterCrop.crop(wide, toAspectWidth: 3, height: 1) == wide)
    }

    @Test func savedSamplesHaveDeterministicNamesAndKerasScaling() throws {
        let tree = try folder()
        let output = try TemporaryDirectory()
        let source = try ImageFolder(directory: tree.path)
        let base = try ImageFileRenderer(source: source, config: AugmentationConfig(), height: 3, width: 4, seed: 1)
        let saving = try SavingRenderer(base: base, directory: output.path, prefix: "aug")
        let loader = try DataLoader(source: source, renderer: saving,
                                    options: LoaderOptions(batchSize: 3, shuffle: false, stepsPerEpoch: 1))
        _ = Array(loader.epoch(2))
        let names = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(names == ["aug_2_0.png", "aug_2_1.png", "aug_2_2.png"])
        let saved = try Image.decode(contentsOf: output.path + "/aug_2_0.png")
        // Stretched from [0, 57] to [0, 255] and truncated, as array_to_img(scale=True).
        #expect(saved.pixels == Self.pattern.pixels.map { UInt8(Float($0) / 57 * 255) })
        #expect(throws: ImageError.self) { try SavingRenderer(base: ClosureRenderer(sampleShape: [2, 2, 4]) { _, _, _ in },
                                                               directory: output.path, format: .jpeg()) }
    }

    @Test func arraysRenderAsGivenOrAugmented() throws {
        let bytes = Self.pattern.pixels
        let source = try ArraySource(pixels: .uint8(bytes + bytes), shape: [2, 3, 4, 3])
        let plain = try ArrayRenderer(source: source)
        let loader = try DataLoader(source: source, renderer: plain, options: LoaderOptions(batchSize: 2, shuffle: false))
        let batch = try #require(Array(loader.epoch(0)).first)
        #expect(batch.inputs.scalars == (bytes + bytes).map(Float.init))
        #expect(batch.targets.shape == [2, 0])

        var config = AugmentationConfig()
        config.rotationRange = 40
        let augmented = try ArrayRenderer(source: source, config: config, seed: 3)
        let augmentedLoader = try DataLoader(source: source, renderer: augmented, options: LoaderOptions(batchSize: 2))
        let first = try #require(Array(augmentedLoader.epoch(0)).first)
        let index = augmentedLoader.order(epoch: 0)[0]
        #expect(try augmentedLoader.renderSample(index, epoch: 0) == Array(first.inputs.scalars(0..<36)))
        #expect(first.inputs.scalars != batch.inputs.scalars)

        let floats = try ArraySource(pixels: .float([0.5, 1.5]), shape: [2, 1, 1, 1])
        #expect(try DataLoader(source: floats, renderer: ArrayRenderer(source: floats),
                               options: LoaderOptions(batchSize: 2, shuffle: false)).renderSample(1, epoch: 0) == [1.5])
        #expect(throws: AugmentationError.self) { try ArrayRenderer(source: floats, config: config) }
    }

    @Test func fileListsAndMemoryReadings() throws {
        let tree = try folder()
        let files = try FileListSource(directory: tree.path)
        #expect(files.filenames == ["a/0.png", "a/1.png", "b/2.png", "b/3.png", "b/4.bmp"])
        #expect(files.classMode == .none)
        let memory = ResidentMemory.now()
        #expect(memory.current > 0 && memory.peak >= memory.current)
    }
}
