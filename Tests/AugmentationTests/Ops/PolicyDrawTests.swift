import Foundation
import Testing
@testable import Augmentation

/// Draw statistics of the pixel ops and the policies with fixed seeds, the logged sub-ops, and
/// the independence of their streams from the other ops'.
@Suite struct PolicyDrawTests {
    func recipe(_ ops: [AugmentationOp], seed: UInt64 = 5) throws -> OpRecipe {
        try OpRecipe(ops: ops, outputHeight: 32, outputWidth: 32, seed: seed)
    }

    /// The policy sub-ops a transform logged: (name, magnitude).
    func subOps(_ t: SampleTransform) -> [(op: String, magnitude: Double)] {
        t.applied.compactMap { entry in
            guard case .text(let op) = entry.parameters["op"], case .number(let m) = entry.parameters["magnitude"] else {
                return nil
            }
            return (op, m)
        }
    }

    func transforms(_ r: OpRecipe, count: Int) -> [SampleTransform] {
        (0..<count).map { r.transform(epoch: 2, index: $0, sourceWidth: 48, sourceHeight: 40) }
    }

    /// RandAugment: `num_ops` sub-ops per image, each of the 14 equally often, every magnitude
    /// bin 9 of its table, signed ones negative half the time.
    @Test func randAugmentChoosesUniformlyAtTheGivenMagnitude() throws {
        let all = transforms(try recipe([.randAugment(RandAugment(numOps: 3))]), count: 5_000)
        var counts: [String: Int] = [:], negative: [String: Int] = [:]
        for t in all {
            let ops = subOps(t)
            #expect(ops.count == 3)
            for (op, m) in ops {
                counts[op, default: 0] += 1
                if m < 0 { negative[op, default: 0] += 1 }
                let policyOp = try #require(PolicyOp(rawValue: op))
                let table = PolicySpace.standard.magnitudes(policyOp, bins: 31, width: 32, height: 32)
                #expect(abs(m) == (table?[9] ?? 0), "\(op) \(m)")
            }
        }
        #expect(Set(counts.keys) == Set(PolicySpace.choices.map(\.rawValue)))
        // 15,000 choices of 14: 1,071 each, sd 31.
        for (op, n) in counts { #expect(abs(n - 1_071) < 130, "\(op): \(n)") }
        for op in PolicySpace.choices where op.isSigned {
            let share = Double(negative[op.rawValue] ?? 0) / Double(counts[op.rawValue] ?? 1)
            #expect(abs(share - 0.5) < 0.07, "\(op): \(share) negative")
        }
        #expect(negative["Posterize"] == nil && negative["Solarize"] == nil)
    }

    /// TrivialAugmentWide: one sub-op, uniform over the 14 and over the 31 bins of the wide table.
    @Test func trivialAugmentWideDrawsOpAndBinUniformly() throws {
        let all = transforms(try recipe([.trivialAugmentWide(TrivialAugmentWide())]), count: 7_000)
        var counts: [String: Int] = [:], rotations: [Double: Int] = [:]
        for t in all {
            let ops = subOps(t)
            #expect(ops.count == 1)
            counts[ops[0].op, default: 0] += 1
            if ops[0].op == "Rotate" { rotations[abs(ops[0].magnitude), default: 0] += 1 }
        }
        for (op, n) in counts { #expect(abs(n - 500) < 100, "\(op): \(n)") }
        let wide = try #require(PolicySpace.wide.magnitudes(.rotate, bins: 31, width: 32, height: 32))
        #expect(Set(rotations.keys).isSubset(of: Set(wide)) && rotations.count >= 28)
        #expect(wide.last == 135)
    }

    /// AutoAugment: each sub-op runs as often as the ImageNet table says (its probability over
    /// the 25 sub-policies chosen uniformly).
    @Test func autoAugmentAppliesTheImageNetTable() throws {
        let count = 10_000
        let all = transforms(try recipe([.autoAugment(AutoAugment())]), count: count)
        var observed: [String: Int] = [:]
        for t in all { for (op, _) in subOps(t) { observed[op, default: 0] += 1 } }
        var expected: [String: Double] = [:]
        for (first, second) in AutoAugment.imagenet {
            for step in [first, second] { expected[step.op.rawValue, default: 0] += step.p / 25 * Double(count) }
        }
        #expect(Set(observed.keys) == Set(expected.filter { $0.value > 0 }.keys))
        for (op, e) in expected {
            let n = Double(observed[op] ?? 0)
            #expect(abs(n - e) < 4 * e.squareRoot() + 5, "\(op): \(n) against \(e)")
        }
        // Rotate's bins in the table are 3, 8 and 9 of 10 over 30°.
        let rotations = Set(all.flatMap { subOps($0) }.filter { $0.op == "Rotate" }.map { abs($0.magnitude) })
        #expect(rotations == Set([3, 8, 9].map { Double(Float(30) * Float($0) / 9) }))
    }

    /// AugMix: the image's weight is Beta(α, α) (mean ½, variance 1 / (4(2α + 1))), the chains'
    /// weights add up to the rest, depths 1…3 equally often, the 13 sub-ops equally often at bins
    /// below the severity.
    @Test(arguments: [1.0, 0.5]) func augMixDrawsDirichletWeightsAndChains(alpha: Double) throws {
        let count = 4_000
        let r = try recipe([.augMix(AugMix(severity: 2, alpha: alpha))])
        var originals: [Double] = [], depths: [Int: Int] = [:], ops: [String: Int] = [:], rotations = Set<Double>()
        for t in transforms(r, count: count) {
            let mixture = try #require(t.mixture)
            #expect(mixture.chains.count == 3)
            #expect(abs(mixture.original + mixture.chains.map(\.weight).reduce(0, +) - 1) < 1e-12)
            #expect(mixture.chains.allSatisfy { $0.weight >= 0 })
            originals.append(mixture.original)
            for chain in 0..<3 {
                let logged = t.applied.filter { $0.parameters["chain"] == .int(chain) }
                depths[logged.count, default: 0] += 1
                for entry in logged {
                    guard case .text(let op) = entry.parameters["op"], case .number(let m) = entry.parameters["magnitude"]
                    else { continue }
                    ops[op, default: 0] += 1
                    if op == "Rotate" { rotations.insert(abs(m)) }
                }
            }
        }
        let mean = originals.reduce(0, +) / Double(count)
        let variance = originals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count)
        #expect(abs(mean - 0.5) < 0.02, "mean \(mean)")
        #expect(abs(variance - 1 / (4 * (2 * alpha + 1))) < 0.01, "variance \(variance)")
        #expect(Set(depths.keys) == [1, 2, 3] && depths.values.allSatisfy { abs($0 - count) < 250 })
        #expect(Set(ops.keys) == Set(PolicySpace.augMixChoices(allOps: true).map(\.rawValue)))
        let each = Double(ops.values.reduce(0, +)) / 13
        #expect(ops.values.allSatisfy { abs(Double($0) - each) < 0.12 * each }, "\(ops)")
        // Severity 2: bins 0 and 1 of linspace(0, 30, 10).
        #expect(rotations == [0, Double(Float(30) / 9)])
    }

    /// A chain reads the source through its own geometry: the decode must cover every chain.
    @Test func aMixtureReadsTheUnionOfItsWindows() throws {
        var t = SampleTransform(canvasWidth: 100, canvasHeight: 80)
        t.resizedCrop(top: 10, left: 20, height: 40, width: 50, size: (32, 32))
        var shifted = SampleTransform(canvasWidth: 100, canvasHeight: 80)
        shifted.resizedCrop(top: 30, left: 5, height: 40, width: 30, size: (32, 32))
        t.mix(original: 0.5, chains: [Mixture.Chain(weight: 0.5, transform: shifted)])
        #expect(t.readWindow == CanvasRect(x: 5, y: 10, width: 65, height: 60))
        // A rotation after the crop still reads only the crop (beyond it is fill).
        var rotated = shifted
        rotated.rotate(angle: 10)
        t.mix(original: 0.5, chains: [Mixture.Chain(weight: 0.5, transform: rotated)])
        #expect(t.readWindow == CanvasRect(x: 5, y: 10, width: 65, height: 60))
        var whole = SampleTransform(canvasWidth: 100, canvasHeight: 80)
        whole.rotate(angle: 10)
        t.mix(original: 0.5, chains: [Mixture.Chain(weight: 0.5, transform: whole)])
        #expect(t.readWindow == CanvasRect(x: 0, y: 0, width: 100, height: 80))
    }

    @Test func randomPixelOpsFollowP() throws {
        let r = try recipe([.randomPosterize(RandomPosterize(bits: 3, p: 0.3)), .randomSolarize(RandomSolarize(threshold: 100)),
                            .randomEqualize(RandomApplication(p: 0.2)), .randomAutocontrast(RandomApplication(p: 0.7)),
                            .randomAdjustSharpness(RandomAdjustSharpness(sharpnessFactor: 2, p: 0.4)),
                            .randomInvert(RandomApplication(p: 0.1)),
                            .gaussianBlur(GaussianBlur(kernelWidth: 5, kernelHeight: 3, sigma: OpRange(0.5, 1.5)))])
        var counts: [String: Int] = [:], sigmas: [Double] = []
        for t in transforms(r, count: 4_000) {
            for op in t.applied { counts[op.name, default: 0] += 1 }
            if case .numbers(let s) = t.applied.first(where: { $0.name == "gaussian_blur" })?.parameters["sigma"] {
                sigmas.append(s[0])
                #expect(s[0] == s[1] && s[0] >= 0.5 && s[0] < 1.5)
            }
        }
        for (name, p) in [("posterize", 0.3), ("solarize", 0.5), ("equalize", 0.2), ("autocontrast", 0.7),
                          ("adjust_sharpness", 0.4), ("invert", 0.1), ("gaussian_blur", 1.0)] {
            #expect(abs(Double(counts[name] ?? 0) / 4_000 - p) < 0.03, "\(name)")
        }
        #expect(abs(sigmas.reduce(0, +) / Double(sigmas.count) - 1) < 0.02)
    }

    /// Adding a policy and pixel ops to the ImageNet recipe leaves the crop, flip, jitter and
    /// normalisation draws as they were; adding an op after a policy leaves the policy's draws.
    @Test func enablingAnOpLeavesTheOthersDrawsUnchanged() throws {
        let base = try recipe(OpRecipeTests.imagenet)
        var more = OpRecipeTests.imagenet
        more.insert(contentsOf: [.randAugment(RandAugment()), .randomInvert(RandomApplication())], at: 3)
        let extended = try recipe(more)
        var withPolicy = OpRecipeTests.imagenet
        withPolicy.insert(.randAugment(RandAugment()), at: 3)
        let policyOnly = try recipe(withPolicy)
        let kept = Set(["resized_crop", "horizontal_flip", "adjust_brightness", "adjust_contrast", "adjust_saturation",
                        "adjust_hue", "normalize"])
        var changed = 0
        for index in 0..<300 {
            let a = base.transform(epoch: 1, index: index, sourceWidth: 300, sourceHeight: 200)
            let b = extended.transform(epoch: 1, index: index, sourceWidth: 300, sourceHeight: 200)
            let c = policyOnly.transform(epoch: 1, index: index, sourceWidth: 300, sourceHeight: 200)
            // The jitter's own steps lead; a policy's colour sub-ops (logged with "op") follow them.
            func jitter(_ t: SampleTransform) -> [AppliedOp] {
                t.applied.filter { kept.contains($0.name) && $0.parameters["op"] == nil }
            }
            #expect(jitter(a) == jitter(b))
            #expect(Array(b.colorSteps.prefix(a.colorSteps.count)) == a.colorSteps)
            #expect(subOps(b).map(\.op) == subOps(c).map(\.op) && subOps(b).map(\.magnitude) == subOps(c).map(\.magnitude))
            if a.geometry != b.geometry { changed += 1 }
        }
        // RandAugment's geometric sub-ops do change the matrix on some samples (5 of 14 ops, twice).
        #expect(changed > 50)
    }
}
