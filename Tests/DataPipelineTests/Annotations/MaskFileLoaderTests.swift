import Augmentation
import Foundation
import Imaging
import Tensors
import Testing
import TestSupport
@testable import DataPipeline

/// Mask folders through the loader: each mask is decoded after its transform is drawn, only
/// inside the window the transform reads. The batches equal those of the same masks decoded
/// whole (8-bit, 16-bit and palette files), at any worker count, and a damaged mask is a bad
/// record naming its file on every epoch.
@Suite struct MaskFileLoaderTests {
    /// Images and masks: 8-bit masks of several sizes written by the encoder, plus the 16-bit and
    /// palette fixtures of `scripts/make_mask_window_fixtures.py` beside images of their sizes.
    static func folder() throws -> TemporaryDirectory {
        let tree = try TemporaryDirectory()
        let sizes = [(61, 47), (40, 70), (97, 33), (52, 52), (75, 58)]
        for (index, (width, height)) in sizes.enumerated() {
            let name = "m\(index)"
            try tree.write("images/\(name).png", bytes: Data(try image(width: width, height: height, channels: 3, seed: index).encoded(as: .png())))
            try tree.write("masks/\(name).png", bytes: Data(try image(width: width, height: height, channels: 1, seed: 7 + index, classes: 5)
                .encoded(as: .png())))
        }
        let fixtures = RepositoryFiles.fixture("ImagingTests", "mask-windows")
        for (name, width, height) in [("gray16", 41, 19), ("palette8", 47, 23)] {
            try tree.write("images/\(name).png", bytes: Data(try image(width: width, height: height, channels: 3, seed: 3).encoded(as: .png())))
            try tree.write("masks/\(name).png", bytes: Data(contentsOf: fixtures.appendingPathComponent(name + ".png")))
        }
        return tree
    }

    /// Blocks of classes (or colours) with some noise, so filters and windows matter.
    static func image(width: Int, height: Int, channels: Int, seed: Int, classes: Int = 256) throws -> Image {
        let pixels = (0..<(width * height * channels)).map { i -> UInt8 in
            let (x, y) = ((i / channels) % width, (i / channels) / width)
            let block = (x / 9 + 3 * (y / 7) + seed) % classes
            return UInt8(i % 13 == seed % 13 ? (block + 1) % classes : block)
        }
        return try Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// The same images with every mask decoded whole up front (`MaskFolderPairs.targets(at:)`).
    static func decodedWhole(_ pairs: MaskFolderPairs) throws -> AnnotatedImageSource {
        let images = try pairs.imagePaths.indices.map { index in
            AnnotatedImage(imagePath: pairs.imagePaths[index], targets: .success(try pairs.targets(at: index)))
        }
        return AnnotatedImageSource(AnnotationSet(images: images, classNames: []), format: .masks)
    }

    static func batches(_ renderer: ImageFileRenderer, workers: Int, epochs: Int = 3) throws -> [Batch] {
        try AnnotatedLoaderTests.batches(renderer, workers: workers, epochs: epochs, batchSize: 1, seed: 4)
    }

    static let ops: [AugmentationOp] = [
        .randomResizedCrop(.init(size: .pair(height: 40, width: 48), scale: OpRange(0.08, 1))), .horizontalFlip(.init()),
        .verticalFlip(.init(p: 0.3)), .randomRotation(.init(degrees: OpRange(-40, 40))),
        .randomAffine(.init(degrees: OpRange(0, 0), translate: (0.2, 0.2), scale: OpRange(0.7, 1.3), shear: (OpRange(-10, 10), nil))),
        .randomErasing(.init(p: 0.5)),
    ]

    @Test func windowDecodedMasksEqualWholeDecodedOnesAtAnyWorkerCount() throws {
        let tree = try Self.folder()
        let pairs = try MaskFolderPairs(images: tree.path + "/images", masks: tree.path + "/masks")
        for ops in [Self.ops, [Self.ops[0], Self.ops[1]], [.centerCrop(.init(size: .pair(height: 15, width: 20)))]] {
            let recipe = try OpRecipe(ops: ops, outputHeight: ops.count == 1 ? 15 : 40, outputWidth: ops.count == 1 ? 20 : 48, seed: 8)
            if ops.count > 3 {   // crops before a rotation: the targets are cut to the crop first
                let draws = (0..<3).flatMap { epoch in (0..<7).map { recipe.transform(epoch: epoch, index: $0, sourceWidth: 61, sourceHeight: 47) } }
                #expect(draws.contains { TransformTargets.targetCrop(of: $0) != nil })
            }
            let fromFiles = try ImageFileRenderer(source: AnnotatedImageSource(pairs), recipe: recipe)
            let whole = try ImageFileRenderer(source: Self.decodedWhole(pairs), recipe: recipe)
            let expected = try Self.batches(whole, workers: 1)
            #expect(expected.count == 21 && expected.allSatisfy { $0.annotations?.masks != nil })
            for workers in [1, 2, 4] {
                #expect(try Self.batches(fromFiles, workers: workers) == expected, "\(ops.map(\.name)) at \(workers) workers")
            }
        }
    }

    @Test func kerasExactMasksFromFilesEqualWholeDecodedOnes() throws {
        let tree = try Self.folder()
        let pairs = try MaskFolderPairs(images: tree.path + "/images", masks: tree.path + "/masks")
        var config = AugmentationConfig()
        config.rotationRange = 25
        config.zoomRange = ZoomRange(lower: 0.6, upper: 1.4)
        config.widthShiftRange = .fraction(0.2)
        config.horizontalFlip = true
        let files = try ImageFileRenderer(source: AnnotatedImageSource(pairs), config: config, height: 30, width: 36,
                                          keepAspectRatio: true, seed: 2)
        let whole = try ImageFileRenderer(source: Self.decodedWhole(pairs), config: config, height: 30, width: 36,
                                          keepAspectRatio: true, seed: 2)
        #expect(try Self.batches(files, workers: 2) == Self.batches(whole, workers: 2))
    }

    /// Palette masks give their indices (whole or windowed), 16-bit masks their 16-bit classes.
    @Test func paletteAndSixteenBitMasksKeepTheirClasses() throws {
        let tree = try Self.folder()
        let pairs = try MaskFolderPairs(images: tree.path + "/images", masks: tree.path + "/masks")
        let fixtures = RepositoryFiles.fixture("ImagingTests", "mask-windows")
        for name in ["palette8", "gray16"] {
            let index = try #require(pairs.imagePaths.firstIndex { $0.hasSuffix("/\(name).png") })
            let raw = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name + ".u16")))
            let expected = stride(from: 0, to: raw.count, by: 2).map { UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8 }
            #expect(try pairs.targets(at: index).mask?.values == expected)
        }
    }

    /// A truncated mask is `.malformedFile` naming the mask, whatever the window, on every epoch:
    /// the whole stream is inflated even when the window needs only the first rows.
    @Test func aTruncatedMaskIsABadRecordOnEveryEpoch() throws {
        let tree = try Self.folder()
        let maskPath = tree.path + "/masks/m2.png"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: maskPath))
        try bytes.prefix(bytes.count - 20).write(to: URL(fileURLWithPath: maskPath))
        let pairs = try MaskFolderPairs(images: tree.path + "/images", masks: tree.path + "/masks")
        let index = try #require(pairs.imagePaths.firstIndex { $0.hasSuffix("/m2.png") })
        // A window of the first two rows only, through the renderer's reader.
        let error = #expect(throws: AnnotationError.self) {
            try MaskFile.read(maskPath, imagePath: pairs.imagePaths[index], imageSize: (97, 33), window: .init(x: 0, y: 0, width: 5, height: 2))
        }
        #expect(error?.kind == .malformedFile && error?.path == maskPath && error?.message.contains("truncated") == true)
        let recipe = try OpRecipe(ops: [Self.ops[0]], outputHeight: 40, outputWidth: 48, seed: 8)
        let renderer = try ImageFileRenderer(source: AnnotatedImageSource(pairs), recipe: recipe)
        #expect {
            _ = try Self.batches(renderer, workers: 2, epochs: 1)
        } throws: { error in (error as? AnnotationError)?.path == maskPath }
        let loader = try DataLoader(source: renderer.source, renderer: renderer,
                                    options: LoaderOptions(batchSize: 7, shuffle: false, seed: 0, workerCount: 2, badFilePolicy: .skip),
                                    log: { _ in })
        for epoch in 0..<3 {
            let run = loader.epoch(epoch)
            #expect(Array(run).count == 1)
            #expect(run.summary.skipped.map(\.index) == [index])
        }
    }

    /// A mask of another size than its image is `.maskSizeMismatch`, and a colour one `.malformedFile`.
    @Test func wrongSizeAndColourMasksAreNamedErrors() throws {
        let tree = try Self.folder()
        try tree.write("masks/m0.png", bytes: Data(try Self.image(width: 60, height: 47, channels: 1, seed: 0).encoded(as: .png())))
        try tree.write("masks/m1.png", bytes: Data(try Self.image(width: 40, height: 70, channels: 3, seed: 0).encoded(as: .png())))
        let pairs = try MaskFolderPairs(images: tree.path + "/images", masks: tree.path + "/masks")
        let renderer = try ImageFileRenderer(source: AnnotatedImageSource(pairs), recipe: OpRecipe(ops: [Self.ops[0]], outputHeight: 40,
                                                                                                   outputWidth: 48, seed: 8))
        var slot = [Float](repeating: 0, count: 40 * 48 * 3)
        for (name, kind) in [("m0", AnnotationError.Kind.maskSizeMismatch), ("m1", .malformedFile)] {
            let index = try #require(pairs.imagePaths.firstIndex { $0.hasSuffix("/\(name).png") })
            let error = #expect(throws: AnnotationError.self) {
                try slot.withUnsafeMutableBufferPointer { _ = try renderer.renderAnnotated(sample: index, epoch: 0, into: $0) }
            }
            #expect(error?.kind == kind && error?.path.hasSuffix("/masks/\(name).png") == true, "\(String(describing: error))")
        }
    }
}
