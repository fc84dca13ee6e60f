import Augmentation
import Foundation
import Imaging
import Tensors
import Testing
import TestSupport
@testable import DataPipeline

/// Targets through the real loader path (`DataLoader` → `ImageFileRenderer` → `Batch.annotations`):
/// byte-identical batches at any worker count, boxes, masks and keypoints that agree with what
/// the same draw did to the pixels, and bad records under the bad-file policy.
@Suite struct AnnotatedLoaderTests {
    static let size = 64

    static func recipeOps(height: Int = size, width: Int = size) -> [AugmentationOp] { [
        .randomResizedCrop(.init(size: .pair(height: height, width: width), scale: OpRange(0.5, 1))), .horizontalFlip(.init()),
        .verticalFlip(.init(p: 0.3)),
        .randomAffine(.init(degrees: OpRange(0, 0), translate: (0.1, 0.1), scale: OpRange(0.9, 1.1))),
    ] }

    private func source(_ set: SyntheticCOCO, masks: COCOReader.MaskKind = .semantic) throws -> AnnotatedImageSource {
        AnnotatedImageSource(try COCOReader(masks: masks).read(set.json, imageDirectory: set.images), format: .coco)
    }

    /// Every batch of `epochs` epochs of a loader over `renderer`.
    static func batches(_ renderer: ImageFileRenderer, workers: Int, epochs: Int = 2, batchSize: Int = 4, seed: UInt64 = 9,
                        policy: BadFilePolicy = .fail) throws -> [Batch] {
        let loader = try DataLoader(source: renderer.source, renderer: renderer,
                                    options: LoaderOptions(batchSize: batchSize, seed: seed, workerCount: workers, badFilePolicy: policy),
                                    log: { _ in })
        var all = [Batch]()
        for epoch in 0..<epochs {
            let run = loader.epoch(epoch)
            while let batch = try run.nextBatch() { all.append(batch) }
        }
        return all
    }

    @Test func batchesAreByteIdenticalAtOneTwoAndFourWorkers() throws {
        let set = try SyntheticCOCO.detection(count: 10)
        let ops = Self.recipeOps(height: 48, width: 56) + [.randomRotation(.init(degrees: OpRange(-30, 30))),
                                    .colorJitter(.init(brightness: 0.3, contrast: 0.3)), .randomErasing(.init(p: 0.5))]
        var renderer = try ImageFileRenderer(source: source(set),
                                             recipe: OpRecipe(ops: ops, outputHeight: 48, outputWidth: 56, seed: 3))
        renderer.targetOptions.boxFilter = BoxFilter(minArea: 4, minVisibility: 0.2)
        let one = try Self.batches(renderer, workers: 1)
        #expect(one.count == 6)
        #expect(one.allSatisfy { $0.annotations?.masks?.shape.dropFirst() == [48, 56] })
        #expect(one.allSatisfy { $0.annotations?.boxes != nil && $0.annotations?.keypoints != nil })
        for workers in [2, 4] { #expect(try Self.batches(renderer, workers: workers) == one, "\(workers) workers") }
        #expect(one[0].annotations != one[3].annotations, "epochs draw different transforms")
    }

    /// The rendered red rectangle's extent, the mask's object pixels, and the yellow square's
    /// centroid agree with the delivered box, mask and keypoint.
    private func checkRoundTrip(_ batches: [Batch]) throws -> Int {
        var checked = 0
        for batch in batches {
            let annotations = try #require(batch.annotations)
            guard case .classIndices(let indices)? = annotations.masks else { Issue.record("no masks"); continue }
            let (shape, mask) = (indices.shape, indices.values)
            let (height, width) = (shape[1], shape[2])
            for n in 0..<batch.count {
                let pixels = batch.inputs.scalars((n * height * width * 3)..<((n + 1) * height * width * 3)).map { $0 }
                var measured = (x0: Int.max, y0: Int.max, x1: Int.min, y1: Int.min)
                var agree = 0, compared = 0, green = (sum: 0.0, x: 0.0, y: 0.0)
                for y in 0..<height {
                    for x in 0..<width {
                        let p = (y * width + x) * 3
                        let red = pixels[p] > 127.5
                        if red { measured = (min(measured.x0, x), min(measured.y0, y), max(measured.x1, x + 1), max(measured.y1, y + 1)) }
                        let g = Double(pixels[p + 1])
                        green = (green.sum + g, green.x + g * Double(x), green.y + g * Double(y))
                        let value = mask[n * height * width + y * width + x]
                        if value != 255 {
                            compared += 1
                            if (value != 0) == red { agree += 1 }
                        }
                    }
                }
                #expect(Double(agree) >= 0.99 * Double(compared), "mask agreement \(agree)/\(compared)")
                let boxes = try #require(annotations.boxes).boxes(ofSample: n).coordinates.map(Double.init)
                let points = try #require(annotations.keypoints).instances(ofSample: n).map(Double.init)
                let area = (measured.x1 - measured.x0) * (measured.y1 - measured.y0)
                guard area >= 100, boxes.count == 4, points.count == 3, points[2] == 1 else { continue }
                let intersection = max(0, min(boxes[2], Double(measured.x1)) - max(boxes[0], Double(measured.x0)))
                    * max(0, min(boxes[3], Double(measured.y1)) - max(boxes[1], Double(measured.y0)))
                let union = (boxes[2] - boxes[0]) * (boxes[3] - boxes[1]) + Double(area) - intersection
                #expect(intersection / union >= 0.9, "box \(boxes) vs measured \(measured)")
                #expect(abs(points[0] - green.x / green.sum) <= 1 && abs(points[1] - green.y / green.sum) <= 1,
                        "keypoint \(points) vs centroid (\(green.x / green.sum), \(green.y / green.sum))")
                checked += 1
            }
        }
        return checked
    }

    @Test func opRecipeTargetsMatchTheWarpedPixels() throws {
        let set = try SyntheticCOCO.roundTrip(count: 12)
        var renderer = try ImageFileRenderer(source: source(set),
                                             recipe: OpRecipe(ops: Self.recipeOps(), outputHeight: Self.size,
                                                              outputWidth: Self.size, seed: 5))
        renderer.targetOptions.boxFormat = .xyxy
        let checked = try checkRoundTrip(Self.batches(renderer, workers: 2, epochs: 3))
        #expect(checked >= 30, "only \(checked) of 36 samples kept their object")
    }

    @Test func kerasExactTargetsMatchTheWarpedPixelsWithAspectCrop() throws {
        let set = try SyntheticCOCO.roundTrip(count: 12)
        var config = AugmentationConfig()
        config.widthShiftRange = .fraction(0.1)
        config.heightShiftRange = .fraction(0.1)
        config.zoomRange = ZoomRange(lower: 0.9, upper: 1.15)
        config.horizontalFlip = true
        config.verticalFlip = true
        config.fillMode = .constant
        // 96 × 72 from the 84 × 112 aspect crop: no box prefilter (above 1.5× downscale), whose
        // blur would move the thresholded edges away from the nearest-sampled mask's.
        var renderer = try ImageFileRenderer(source: source(set), config: config, height: 96, width: 72,
                                             keepAspectRatio: true, seed: 11)
        renderer.targetOptions.boxFormat = .xyxy
        let checked = try checkRoundTrip(Self.batches(renderer, workers: 2, epochs: 3))
        #expect(checked >= 30, "only \(checked) of 36 samples kept their object")
    }

    @Test func kerasGeometryWithTargetsIsRefusedNamingBoth() throws {
        let set = try SyntheticCOCO.roundTrip(count: 1)
        let error = #expect(throws: AugmentationError.self) {
            try ImageFileRenderer(source: source(set), config: AugmentationConfig(), height: 8, width: 8, seed: 0, mode: .keras)
        }
        #expect(error?.parameter == "geometry" && error?.reason.contains("masks, boxes or keypoints") == true)
    }

    @Test func augMixWithTargetsIsRefusedNamingBoth() throws {
        let set = try SyntheticCOCO.roundTrip(count: 1)
        let recipe = try OpRecipe(ops: [.augMix(AugMix())], outputHeight: 8, outputWidth: 8, seed: 0)
        let error = #expect(throws: AugmentationError.self) { try ImageFileRenderer(source: source(set), recipe: recipe) }
        #expect(error?.value == "aug_mix" && error?.reason.contains("masks, boxes and keypoints") == true)
    }

    @Test func batchMixingIsRefusedWithTargetsNamingBoth() throws {
        let set = try SyntheticCOCO.roundTrip(count: 2)
        let renderer = try ImageFileRenderer(source: source(set), recipe: OpRecipe(ops: [], outputHeight: 8, outputWidth: 8, seed: 0))
        let mixing = BatchMixing(recipe: try BatchOpRecipe(ops: [.cutmix(CutMix())], seed: 1), classCount: 1)
        let error = #expect(throws: DataPipelineError.self) {
            try DataLoader(source: renderer.source, renderer: renderer, options: LoaderOptions(batchSize: 2, batchMixing: mixing))
        }
        #expect(error?.message.contains("cutmix") == true && error?.message.contains("masks, boxes or keypoints") == true)
    }

    @Test func erasedPixelsAreIgnoredInTheMask() throws {
        let set = try SyntheticCOCO.roundTrip(count: 4)
        let ops: [AugmentationOp] = [.resize(.init(size: .pair(height: 32, width: 32))),
                                     .randomErasing(.init(p: 1, scale: OpRange(0.1, 0.2), value: [7]))]
        let renderer = try ImageFileRenderer(source: source(set), recipe: OpRecipe(ops: ops, outputHeight: 32, outputWidth: 32, seed: 1))
        var slot = [Float](repeating: 0, count: 32 * 32 * 3)
        let targets = try slot.withUnsafeMutableBufferPointer { try renderer.renderAnnotated(sample: 0, epoch: 0, into: $0) }
        let mask = try #require(targets?.mask)
        for pixel in 0..<(32 * 32) {
            #expect((slot[pixel * 3] == 7 && slot[pixel * 3 + 1] == 7) == (mask.values[pixel] == 255), "pixel \(pixel)")
        }
    }

    @Test func malformedRecordsFollowTheBadFilePolicy() throws {
        let set = try SyntheticCOCO.detection(count: 6)
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: set.json))) as! [String: Any]
        var annotations = json["annotations"] as! [[String: Any]]
        annotations[0]["bbox"] = [100, 4, 50, 20]   // image 0 is 112 wide
        json["annotations"] = annotations
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: set.json))
        let renderer = try ImageFileRenderer(source: source(set), recipe: OpRecipe(ops: [], outputHeight: 16, outputWidth: 16, seed: 0))
        #expect {
            _ = try Self.batches(renderer, workers: 2, epochs: 1)
        } throws: { error in
            let error = error as? AnnotationError
            return error?.kind == .boxOutsideImage && error?.path == set.json && error?.record == "annotation id 1"
        }
        let loader = try DataLoader(source: renderer.source, renderer: renderer,
                                    options: LoaderOptions(batchSize: 3, shuffle: false, seed: 0, workerCount: 2, badFilePolicy: .skip),
                                    log: { _ in })
        let run = loader.epoch(0)
        let delivered = Array(run)
        #expect(delivered.count == 2 && delivered.allSatisfy { $0.annotations?.boxes?.counts.count == 3 })
        #expect(run.summary.skipped.map(\.index) == [0])
    }

    @Test func aMaskOfAnotherSizeThanItsImageIsABadRecord() throws {
        let set = try SyntheticCOCO.roundTrip(count: 1)
        let mask = try SegmentationMask(classMap: [UInt16](repeating: 0, count: 20), width: 5, height: 4)
        let source = AnnotatedImageSource(AnnotationSet(images: [AnnotatedImage(imagePath: set.images + "/img000.png",
                                                                                 targets: .success(SampleTargets(mask: mask)))],
                                                        classNames: []), format: .masks)
        let renderer = try ImageFileRenderer(source: source, recipe: OpRecipe(ops: [], outputHeight: 8, outputWidth: 8, seed: 0))
        var slot = [Float](repeating: 0, count: 8 * 8 * 3)
        #expect(throws: AnnotationError.self) {
            try slot.withUnsafeMutableBufferPointer { _ = try renderer.renderAnnotated(sample: 0, epoch: 0, into: $0) }
        }
    }

    /// Workers write each class map straight into the batch's mask buffer; the batches are what
    /// the collator stacks from the samples rendered one by one, the short last batch included.
    @Test func masksWrittenByWorkersAreWhatTheCollatorStacks() throws {
        let set = try SyntheticCOCO.detection(count: 7)
        let renderer = try ImageFileRenderer(source: source(set),
                                             recipe: OpRecipe(ops: Self.recipeOps(height: 24, width: 20), outputHeight: 24, outputWidth: 20, seed: 5))
        let loader = try DataLoader(source: renderer.source, renderer: renderer,
                                    options: LoaderOptions(batchSize: 3, shuffle: false, seed: 5, workerCount: 2), log: { _ in })
        let batches = Array(loader.epoch(1))
        #expect(batches.map(\.count) == [3, 3, 1])
        var slot = [Float](repeating: 0, count: 24 * 20 * 3)
        for (b, batch) in batches.enumerated() {
            let samples = try (0..<batch.count).map { n in
                try slot.withUnsafeMutableBufferPointer { try #require(try renderer.renderAnnotated(sample: 3 * b + n, epoch: 1, into: $0)) }
            }
            let stacked = try AnnotationCollator().collate(samples)
            #expect(batch.annotations?.masks == stacked.masks, "batch \(b)")
            #expect(batch.annotations?.masks?.shape == [batch.count, 24, 20])
        }
    }

    /// A batch where only some samples have a class map is refused, naming the count.
    @Test func aBatchWithClassMapsInSomeSamplesOnlyIsRefused() throws {
        let set = try SyntheticCOCO(objects: [[], []], sizes: [(8, 8)])
        let mask = try SegmentationMask(classMap: [UInt16](repeating: 1, count: 8 * 8), width: 8, height: 8)
        let images = try FileManager.default.contentsOfDirectory(atPath: set.images).sorted()
        let source = AnnotatedImageSource(AnnotationSet(images: [
            AnnotatedImage(imagePath: set.images + "/" + images[0], targets: .success(SampleTargets(mask: mask))),
            AnnotatedImage(imagePath: set.images + "/" + images[1], targets: .success(SampleTargets()))], classNames: []), format: .masks)
        let renderer = try ImageFileRenderer(source: source, recipe: OpRecipe(ops: [.resize(.init(size: .pair(height: 8, width: 8)))],
                                                                            outputHeight: 8, outputWidth: 8, seed: 0))
        let loader = try DataLoader(source: source, renderer: renderer,
                                    options: LoaderOptions(batchSize: 2, shuffle: false, seed: 0, workerCount: 2), log: { _ in })
        #expect {
            _ = try loader.epoch(0).nextBatch()
        } throws: { error in
            String(describing: error).contains("present in 1 of 2 samples")
        }
    }

    /// COCO instance masks come through the loader as `[N, M, H, W]`, one plane per box, the
    /// same at one and two workers.
    @Test func instanceMasksAreBatchedBesideTheirBoxes() throws {
        let set = try SyntheticCOCO.detection(count: 5)
        let renderer = try ImageFileRenderer(source: source(set, masks: .instances),
                                             recipe: OpRecipe(ops: Self.recipeOps(height: 24, width: 20), outputHeight: 24, outputWidth: 20, seed: 2))
        let one = try Self.batches(renderer, workers: 1, epochs: 1, batchSize: 2)
        #expect(try Self.batches(renderer, workers: 2, epochs: 1, batchSize: 2) == one)
        for batch in one {
            guard case .instances(let masks)? = batch.annotations?.masks else { Issue.record("not instance masks"); continue }
            #expect(masks.shape[0] == batch.count && masks.shape[2...] == [24, 20])
            #expect(masks.counts == batch.annotations?.boxes?.counts)
        }
    }
}
