import Foundation
import Testing
@testable import Augmentation

/// The counter-based sampler: replayable, in range, uniform (Kolmogorov–Smirnov with a fixed
/// seed) and independent across neighbouring indices and epochs.
@Suite struct TransformSamplerTests {
    static var config: AugmentationConfig {
        var c = AugmentationConfig()
        c.rotationRange = 20
        c.widthShiftRange = .fraction(0.2)
        c.heightShiftRange = .fraction(0.1)
        c.shearRange = 10
        c.zoomRange = ZoomRange(0.2)
        c.channelShiftRange = 30
        c.brightnessRange = BrightnessRange(lower: 0.8, upper: 1.2)
        c.horizontalFlip = true
        c.verticalFlip = true
        return c
    }

    static let n = 4000
    static let draws: [Transform] = {
        let s = TransformSampler(config: config, seed: 12345)
        return (0..<n).map { s.transform(epoch: 0, index: $0, height: 50, width: 80) }
    }()

    /// KS statistic of `values` against uniform [low, high].
    static func ks(_ values: [Double], _ low: Double, _ high: Double) -> Double {
        let sorted = values.map { ($0 - low) / (high - low) }.sorted()
        let count = Double(sorted.count)
        var d = 0.0
        for (i, u) in sorted.enumerated() {
            d = max(d, abs(Double(i + 1) / count - u), abs(u - Double(i) / count))
        }
        return d
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            sab += (x - ma) * (y - mb); saa += (x - ma) * (x - ma); sbb += (y - mb) * (y - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }

    @Test func same_triple_gives_the_same_transform_and_neighbours_differ() {
        let s = TransformSampler(config: Self.config, seed: 99)
        let a = s.transform(epoch: 3, index: 17, height: 64, width: 64)
        #expect(a == TransformSampler(config: Self.config, seed: 99).transform(epoch: 3, index: 17, height: 64, width: 64))
        #expect(a != s.transform(epoch: 3, index: 18, height: 64, width: 64))
        #expect(a != s.transform(epoch: 4, index: 17, height: 64, width: 64))
        #expect(a != TransformSampler(config: Self.config, seed: 100).transform(epoch: 3, index: 17, height: 64, width: 64))
    }

    @Test func every_parameter_is_in_range_and_uniform() {
        let critical = 1.63 / Double(Self.n).squareRoot()  // KS at α = 0.01
        let d = Self.draws
        let checks: [(String, [Double], Double, Double)] = [
            ("theta", d.map(\.theta), -20, 20),
            ("tx", d.map(\.tx), -16, 16),          // width 80 × 0.2 (exact mode: width range on columns)
            ("ty", d.map(\.ty), -5, 5),            // height 50 × 0.1
            ("shear", d.map(\.shear), -10, 10),
            ("zx", d.map(\.zx), 0.8, 1.2),
            ("zy", d.map(\.zy), 0.8, 1.2),
            ("channel", d.map { $0.channelShiftIntensity! }, -30, 30),
            ("brightness", d.map { $0.brightness! }, 0.8, 1.2),
        ]
        for (name, values, low, high) in checks {
            #expect(values.allSatisfy { $0 >= low && $0 <= high }, "\(name) out of range")
            let statistic = Self.ks(values, low, high)
            #expect(statistic < critical, "\(name): KS \(statistic) >= \(critical)")
        }
        let flips = d.filter(\.flipHorizontal).count, vflips = d.filter(\.flipVertical).count
        let sigma = (Double(Self.n) * 0.25).squareRoot()
        #expect(abs(Double(flips) - Double(Self.n) / 2) < 4 * sigma)
        #expect(abs(Double(vflips) - Double(Self.n) / 2) < 4 * sigma)
    }

    @Test func integer_shifts_are_uniform_over_their_values() {
        var config = AugmentationConfig()
        config.widthShiftRange = .integerPixels(5)
        let s = TransformSampler(config: config, seed: 7)
        var counts = [Int: Int]()
        for i in 0..<Self.n { counts[Int(s.transform(epoch: 0, index: i, height: 10, width: 10).tx), default: 0] += 1 }
        #expect(Set(counts.keys) == Set(-4...4))
        // randint(0, 5) × ±1: 0 has probability 1/5, each ±k 1/10.
        var chi = 0.0
        for (value, count) in counts {
            let expected = Double(Self.n) * (value == 0 ? 0.2 : 0.1)
            chi += (Double(count) - expected) * (Double(count) - expected) / expected
        }
        #expect(chi < 20.09)  // χ² with 8 degrees of freedom at α = 0.01
    }

    @Test func neighbouring_indices_and_epochs_are_independent() {
        let s = TransformSampler(config: Self.config, seed: 12345)
        let bound = 4 / Double(Self.n).squareRoot()
        let theta = Self.draws.map(\.theta)
        #expect(abs(Self.correlation(Array(theta.dropLast()), Array(theta.dropFirst()))) < bound)
        let nextEpoch = (0..<Self.n).map { s.transform(epoch: 1, index: $0, height: 50, width: 80).theta }
        #expect(abs(Self.correlation(theta, nextEpoch)) < bound)
        #expect(abs(Self.correlation(theta, Self.draws.map(\.tx))) < bound)
        #expect(abs(Self.correlation(Self.draws.map(\.zx), Self.draws.map(\.zy))) < bound)
    }

    @Test func keras_mode_draws_shifts_on_swapped_axes() {
        var config = AugmentationConfig()
        config.widthShiftRange = .fraction(0.5)
        let keras = TransformSampler(config: config, seed: 1, mode: .keras)
        let exact = TransformSampler(config: config, seed: 1, mode: .exact)
        for i in 0..<50 {
            let k = keras.transform(epoch: 0, index: i, height: 10, width: 100)
            let e = exact.transform(epoch: 0, index: i, height: 10, width: 100)
            #expect(k.tx == 0 && abs(k.ty) <= 50)   // width range → ty (rows) in Keras
            #expect(e.ty == 0 && abs(e.tx) <= 50)   // width range → tx (columns) in exact mode
        }
    }
}
