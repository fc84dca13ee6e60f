import Foundation
import Testing
@testable import Augmentation

/// Draw statistics of the random ops and the independence of their streams.
@Suite struct OpRecipeTests {
    static let imagenet: [AugmentationOp] = [
        .randomResizedCrop(RandomResizedCrop(size: .square(32))), .horizontalFlip(Flip()),
        .colorJitter(ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1)), .normalize(.imagenet),
    ]

    func recipe(_ ops: [AugmentationOp], seed: UInt64 = 7) throws(AugmentationError) -> OpRecipe {
        try OpRecipe(ops: ops, outputHeight: 32, outputWidth: 32, seed: seed)
    }

    func crops(_ t: SampleTransform) -> [AppliedOp] { t.applied.filter { $0.name == "resized_crop" } }

    func int(_ op: AppliedOp, _ key: String) -> Int {
        if case .int(let v) = op.parameters[key] { return v }
        return -1
    }

    /// torchvision's RandomResizedCrop: area fraction uniform in scale (when it fits), log aspect
    /// uniform in log ratio, the crop inside the image, output the requested size.
    @Test func randomResizedCropDrawsTorchvisionsDistribution() throws {
        let r = try recipe([.randomResizedCrop(RandomResizedCrop(size: .square(32)))])
        var areas: [Double] = [], logAspects: [Double] = []
        for index in 0..<4_000 {
            let t = r.transform(epoch: 0, index: index, sourceWidth: 400, sourceHeight: 400)
            #expect(t.width == 32 && t.height == 32)
            let crop = try #require(crops(t).first)
            let (top, left, h, w) = (int(crop, "top"), int(crop, "left"), int(crop, "height"), int(crop, "width"))
            #expect(top >= 0 && left >= 0 && top + h <= 400 && left + w <= 400 && h > 0 && w > 0)
            areas.append(Double(h * w) / 160_000)
            logAspects.append(log(Double(w) / Double(h)))
        }
        #expect(areas.min()! >= 0.075 && areas.max()! <= 1)
        // Crops whose sides exceed the image are redrawn, so large areas are thinned: the mean
        // lies below the uniform's 0.54 (about 0.48 on a square image, by integrating the acceptance).
        let meanArea = areas.reduce(0, +) / Double(areas.count)
        #expect(meanArea > 0.40 && meanArea < 0.50, "mean area \(meanArea)")
        let meanLog = logAspects.reduce(0, +) / Double(logAspects.count)
        #expect(abs(meanLog) < 0.02 && logAspects.allSatisfy { abs($0) <= log(4.0 / 3) + 0.05 })
    }

    /// After ten misses (a 1000×20 strip fits no crop of the default scale and ratio) the
    /// fallback is torchvision's central crop at the nearest allowed ratio.
    @Test func randomResizedCropFallsBackToACentralCrop() throws {
        let r = try recipe([.randomResizedCrop(RandomResizedCrop(size: .square(32), scale: OpRange(0.9, 1)))])
        let crop = try #require(crops(r.transform(epoch: 0, index: 0, sourceWidth: 1000, sourceHeight: 20)).first)
        // in_ratio 50 > 4/3: h = 20, w = round(20 · 4/3) = 27, centred.
        #expect(int(crop, "height") == 20 && int(crop, "width") == 27)
        #expect(int(crop, "top") == 0 && int(crop, "left") == (1000 - 27) / 2)
    }

    /// RandomCrop: padding first, then a uniformly placed crop inside the padded image.
    @Test func randomCropStaysInsideThePaddedImage() throws {
        let r = try recipe([.randomCrop(RandomCrop(size: .square(32), padding: [4, 2, 4, 2], paddingMode: .reflect))])
        var tops = Set<Int>(), lefts = Set<Int>()
        for index in 0..<500 {
            let t = r.transform(epoch: 0, index: index, sourceWidth: 40, sourceHeight: 30)
            #expect(t.applied.map(\.name) == ["pad", "crop"] && t.fillMode == .reflect && t.window == nil)
            let crop = try #require(t.applied.last)
            tops.insert(int(crop, "top"))
            lefts.insert(int(crop, "left"))
        }
        #expect(tops == Set(0...2) && lefts == Set(0...16))
    }

    @Test func flipAndGrayscaleRatesFollowP() throws {
        let r = try recipe([.horizontalFlip(Flip()), .verticalFlip(Flip(p: 0.2)), .randomGrayscale(RandomGrayscale())])
        var counts: [String: Int] = [:]
        for index in 0..<4_000 {
            for op in r.transform(epoch: 1, index: index, sourceWidth: 32, sourceHeight: 32).applied {
                counts[op.name, default: 0] += 1
            }
        }
        #expect(abs(Double(counts["horizontal_flip"] ?? 0) / 4_000 - 0.5) < 0.03)
        #expect(abs(Double(counts["vertical_flip"] ?? 0) / 4_000 - 0.2) < 0.02)
        #expect(abs(Double(counts["rgb_to_grayscale"] ?? 0) / 4_000 - 0.1) < 0.015)
    }

    @Test func colorJitterDrawsFactorsInRangeInEveryOrder() throws {
        let r = try recipe([.colorJitter(ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1))])
        var orders = Set<[String]>()
        for index in 0..<2_000 {
            let t = r.transform(epoch: 0, index: index, sourceWidth: 32, sourceHeight: 32)
            let colour = t.applied.filter { $0.name.hasPrefix("adjust_") }
            #expect(colour.count == 4)
            orders.insert(colour.map(\.name))
            for step in t.colorSteps {
                switch step {
                case .brightness(let f), .contrast(let f), .saturation(let f): #expect(f >= 0.6 && f <= 1.4)
                case .hue(let f): #expect(abs(f) <= 0.1)
                case .grayscale: Issue.record("no grayscale in color_jitter")
                }
            }
        }
        #expect(orders.count == 24)
    }

    @Test func rotationAndErasingStayInTheirRanges() throws {
        let r = try recipe([.randomRotation(RandomRotation(degrees: OpRange(-10, 30))), .randomErasing(RandomErasing(p: 1))])
        var erased = 0
        for index in 0..<1_000 {
            let t = r.transform(epoch: 0, index: index, sourceWidth: 32, sourceHeight: 32)
            if case .number(let angle) = t.applied.first(where: { $0.name == "rotate" })?.parameters["angle"] {
                #expect(angle >= -10 && angle <= 30)
            } else {
                Issue.record("no rotation")
            }
            for e in t.erasures {
                erased += 1
                let area = Double(e.height * e.width) / 1_024
                #expect(e.top >= 0 && e.left >= 0 && e.top + e.height <= 32 && e.left + e.width <= 32)
                #expect(area >= 0.01 && area <= 0.36)
            }
        }
        #expect(erased > 900)
    }

    /// Each op draws from its own stream: adding a rotation and an erasing op to the ImageNet
    /// recipe leaves the crop, flip and jitter draws exactly as they were.
    @Test func enablingAnOpLeavesTheOthersDrawsUnchanged() throws {
        let base = try recipe(Self.imagenet)
        var more = Self.imagenet
        more.insert(.randomRotation(RandomRotation(degrees: OpRange(-15, 15))), at: 1)
        more.append(.randomErasing(RandomErasing()))
        let extended = try recipe(more)
        for index in 0..<200 {
            let a = base.transform(epoch: 3, index: index, sourceWidth: 300, sourceHeight: 200)
            let b = extended.transform(epoch: 3, index: index, sourceWidth: 300, sourceHeight: 200)
            let kept = Set(["resized_crop", "horizontal_flip", "adjust_brightness", "adjust_contrast",
                            "adjust_saturation", "adjust_hue", "normalize"])
            #expect(a.applied.filter { kept.contains($0.name) } == b.applied.filter { kept.contains($0.name) })
            #expect(a.colorSteps == b.colorSteps)
        }
        // Different seeds, epochs and indices draw differently.
        let t0 = base.transform(epoch: 0, index: 0, sourceWidth: 300, sourceHeight: 200)
        #expect(t0.applied != base.transform(epoch: 1, index: 0, sourceWidth: 300, sourceHeight: 200).applied)
        #expect(t0.applied != base.transform(epoch: 0, index: 1, sourceWidth: 300, sourceHeight: 200).applied)
        #expect(t0.applied != (try recipe(Self.imagenet, seed: 8)).transform(epoch: 0, index: 0, sourceWidth: 300,
                                                                           sourceHeight: 200).applied)
    }

    @Test func recipesThatCannotRunAreRefusedByOp() throws {
        func refused(_ ops: [AugmentationOp], _ parameter: String) {
            #expect(throws: AugmentationError.self) { try recipe(ops) }
            do { _ = try recipe(ops) } catch { #expect(error.parameter == parameter, "\(error)") }
        }
        refused([.normalize(.imagenet), .horizontalFlip(Flip())], "ops[1].horizontal_flip")
        refused([.randomErasing(RandomErasing()), .colorJitter(ColorJitter(brightness: 0.2))], "ops[1].color_jitter")
        refused([.normalize(.imagenet), .normalize(.imagenet)], "ops[1].normalize")
        refused([.horizontalFlip(Flip(p: 1.5))], "ops[0].horizontal_flip.p")
        refused([.randomResizedCrop(RandomResizedCrop(size: .square(32), scale: OpRange(0.5, 0.1)))],
                "ops[0].random_resized_crop.scale")
        refused([.colorJitter(ColorJitter(brightness: nil, contrast: nil, saturation: nil, hue: OpRange(-0.7, 0.7)))],
                "ops[0].color_jitter.hue")
        refused([.randomRotation(RandomRotation(degrees: OpRange(-5, 5), fill: 0)),
                 .randomAffine(RandomAffine(degrees: OpRange(-5, 5), fill: 128))], "ops[1].random_affine.fill")
        refused([.centerCrop(CenterCrop(size: .square(24)))], "ops")
        #expect(throws: AugmentationError.self) { try recipe([.normalize(.imagenet)]).validate(channels: 4) }
    }

    /// A recipe whose geometry leaves a variable size (shorter-side resize) ends with a resize to
    /// the output size; `withoutRandomOps` keeps exactly the deterministic ops.
    @Test func variableSizesEndAtTheOutputSize() throws {
        let r = try recipe([.resize(Resize(size: .square(40))), .horizontalFlip(Flip(p: 1)), .normalize(.imagenet)])
        let t = r.transform(epoch: 0, index: 0, sourceWidth: 120, sourceHeight: 60)
        #expect(t.applied.map(\.name) == ["resize", "horizontal_flip", "resize", "normalize"])
        #expect((t.width, t.height) == (32, 32))
        #expect(r.withoutRandomOps.ops.map(\.name) == ["resize", "normalize"])
    }
}
