import Foundation
import Imaging
import Testing
import TestSupport
@testable import Augmentation

/// The pixel stage and the policies' sub-ops against torchvision.transforms.v2 on a uint8 image
/// (`scripts/make_ops_fixtures.py`, `pixel-ops.json`).
///
/// Bounds, in uint8 pixel units:
/// - pixel ops, and colour steps after one: exact (the stage rounds its input to uint8 values and
///   then follows torchvision's uint8 arithmetic, truncations included), except
/// - `gaussian_blur`: the separable pass sums in another order than torchvision's 2-D
///   convolution, so a value within float error of a half may round the other way: at most 1,
///   on at most 2 % of the values;
/// - `adjust_hue` after a pixel op: within 1 (Float HSV arithmetic in another order before the
///   truncation);
/// - colour sub-ops on their own run in the fused Float colour pass, which neither truncates to
///   uint8 nor floors the grayscale before the contrast mean as torchvision's uint8 kernels do:
///   below 1 + |1 − factor| (2 here);
/// - geometric sub-ops (nearest sampling through the one matrix): 0.02, as the geometry fixtures;
/// - normalised outputs: 1e-5.
@Suite struct PixelOpsTests {
    struct Fixture: Decodable {
        struct Input: Decodable { var shape: [Int]; var pixels: [UInt8] }
        struct Case: Decodable {
            var name: String
            var input: String
            var calls: [TorchvisionOpsTests.Fixture.Call]
            var normalized: Bool
            var output: [Double]
        }
        struct Magnitudes: Decodable {
            var space: String, op: String, bins: Int, height: Int, width: Int, signed: Bool
            var values: [Double]
        }
        struct Mix: Decodable {
            struct SubOp: Decodable { var op: String; var magnitude: Double }
            var name: String
            var original: Double
            var weights: [Double]
            var chains: [[SubOp]]
            var output: [Double]
        }
        var images: [String: Input]
        var cases: [Case]
        var mixes: [Mix]
        var magnitudes: [Magnitudes]
    }

    static let fixture: Fixture = {
        let url = RepositoryFiles.fixture("AugmentationTests", "torchvision-ops/pixel-ops.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// The largest difference allowed for a case, and the share of values that may differ at all.
    static func bound(_ c: Fixture.Case) -> (largest: Double, share: Double) {
        let names = c.calls.map { $0.name == "policy" ? $0.parameters["op"]!.text : $0.name }
        if c.normalized { return (1e-5, 1) }
        if names.contains("gaussian_blur") { return (1, 0.02) }
        if names.contains("adjust_hue") { return (1, 0.1) }
        if c.calls.count == 1, ["Brightness", "Color", "Contrast"].contains(names[0]) { return (2, 1) }
        if c.calls.count == 1, ["ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate"].contains(names[0]) {
            return (0.02, 1)
        }
        return (0, 0)
    }

    @Test(arguments: fixture.cases.map(\.name))
    func matchesTorchvision(_ name: String) throws {
        let c = try #require(Self.fixture.cases.first { $0.name == name })
        let input = try #require(Self.fixture.images[c.input])
        let (h, w) = (input.shape[0], input.shape[1])
        let image = try Image(width: w, height: h, channels: 3, pixels: input.pixels)
        let t = TorchvisionOpsTests.transform(c.calls, width: w, height: h)
        var out = [Float](repeating: .nan, count: c.output.count)
        out.withUnsafeMutableBufferPointer { TransformKernel.render(image, transform: t, into: $0) }
        let differences = zip(out, c.output).map { abs(Double($0) - $1) }
        let (largest, share) = Self.bound(c)
        let worst = differences.max() ?? .infinity
        let differing = Double(differences.filter { $0 > 1e-6 }.count) / Double(differences.count)
        #expect(worst <= largest, "\(name): largest difference \(worst)")
        #expect(differing <= share, "\(name): \(differing) of the values differ")
    }

    /// AugMix's blend with fixed weights and chains against torchvision's formula on uint8
    /// chains: exact for pixel and colour sub-ops (each chain's colour sub-op after a pixel one
    /// joins its pixel stage; a leading one runs in Float, and the chain is rounded to uint8
    /// values before the blend: at most 1 apart before the truncation); bilinear geometric
    /// sub-ops round their samples as torchvision's uint8 warp does, up to float error at a
    /// half: at most 1, on at most 5 % of the values.
    @Test(arguments: fixture.mixes.map(\.name))
    func augMixBlendsAsTorchvision(_ name: String) throws {
        let mix = try #require(Self.fixture.mixes.first { $0.name == name })
        let input = try #require(Self.fixture.images["image"])
        let (h, w) = (input.shape[0], input.shape[1])
        let image = try Image(width: w, height: h, channels: 3, pixels: input.pixels)
        var t = SampleTransform(canvasWidth: w, canvasHeight: h)
        let chains = zip(mix.weights, mix.chains).map { weight, subOps in
            var chain = t
            for s in subOps {
                PolicyOp(rawValue: s.op)!.apply(s.magnitude, to: &chain, policy: "test", interpolation: .bilinear, fill: 0)
            }
            return Mixture.Chain(weight: weight, transform: chain)
        }
        t.mix(original: mix.original, chains: chains)
        var out = [Float](repeating: .nan, count: mix.output.count)
        out.withUnsafeMutableBufferPointer { TransformKernel.render(image, transform: t, into: $0) }
        let differences = zip(out, mix.output).map { abs(Double($0) - $1) }
        let differing = Double(differences.filter { $0 > 0 }.count) / Double(differences.count)
        #expect((differences.max() ?? .infinity) <= 1, "\(name)")
        #expect(differing <= (name.contains("geometric") ? 0.05 : 0.01), "\(name): \(differing) of the values differ")
    }

    /// The policies' magnitude tables, bin for bin, as torchvision's Float32 `linspace` makes them.
    @Test func magnitudeTablesMatchTorchvision() throws {
        for table in Self.fixture.magnitudes {
            let space: PolicySpace = table.space == "wide" ? .wide : table.space == "augmix" ? .augMix : .standard
            let op = try #require(PolicyOp(rawValue: table.op))
            let values = space.magnitudes(op, bins: table.bins, width: table.width, height: table.height)
            #expect(values == table.values, "\(table.space) \(table.op) \(table.bins) bins")
            #expect(op.isSigned == table.signed, "\(table.op)")
        }
        #expect(Self.fixture.magnitudes.count == 3 * 2 * 2 * 11)
    }
}
