import Foundation
import Randomness
import Testing
@testable import Augmentation

/// The counter-based Gamma and Beta sampler against the distributions' moments, with fixed seeds.
@Suite struct BetaSamplerTests {
    static let draws = 20_000

    static func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        return (mean, values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1))
    }

    static func betas(alpha: Double, beta: Double, seed: UInt64) -> [Double] {
        (0..<draws).map { BetaSampler.beta(CounterRandom([seed, UInt64($0)]), base: 64, alpha: alpha, beta: beta) }
    }

    /// Beta(α, α) has mean α/(2α) = 1/2 and variance 1/(4(2α + 1)); Beta(2, 5) mean 2/7 and
    /// variance 10/392. Standard errors at 20,000 draws are below 0.004 (mean) and 2% (variance).
    @Test(arguments: [(0.2, 0.2), (0.5, 0.5), (1.0, 1.0), (2.0, 2.0), (2.0, 5.0)])
    func betaMoments(alpha: Double, beta: Double) {
        let values = Self.betas(alpha: alpha, beta: beta, seed: 7)
        #expect(values.allSatisfy { (0...1).contains($0) })
        let (mean, variance) = Self.moments(values)
        let sum = alpha + beta
        #expect(abs(mean - alpha / sum) < 0.01, "mean \(mean)")
        let expected = alpha * beta / (sum * sum * (sum + 1))
        #expect(abs(variance / expected - 1) < 0.06, "variance \(variance), expected \(expected)")
    }

    /// Beta(1, 1) is uniform: the Kolmogorov–Smirnov distance stays below the 1% critical value 1.63/√n.
    @Test func betaOfOnesIsUniform() {
        let sorted = Self.betas(alpha: 1, beta: 1, seed: 11).sorted()
        let n = Double(sorted.count)
        let distance = sorted.enumerated().map { i, x in max(abs(Double(i + 1) / n - x), abs(Double(i) / n - x)) }.max()!
        #expect(distance < 1.63 / n.squareRoot(), "KS distance \(distance)")
    }

    /// Gamma(a) has mean and variance a, for shapes below 1 (the boost) and above.
    @Test(arguments: [0.3, 1.0, 4.5])
    func gammaMoments(shape: Double) {
        let values = (0..<Self.draws).map { exp(BetaSampler.logGamma(CounterRandom([3, UInt64($0)]), base: 0, shape: shape)) }
        let (mean, variance) = Self.moments(values)
        #expect(abs(mean / shape - 1) < 0.03, "mean \(mean)")
        #expect(abs(variance / shape - 1) < 0.08, "variance \(variance)")
    }

    /// A draw is a function of its key and base counter alone; another base gives another value.
    @Test func drawsAreReplayable() {
        let random = CounterRandom([42, 1, 2])
        let a = BetaSampler.beta(random, base: 64, alpha: 0.4, beta: 0.4)
        #expect(BetaSampler.beta(CounterRandom([42, 1, 2]), base: 64, alpha: 0.4, beta: 0.4) == a)
        #expect(BetaSampler.beta(random, base: 192, alpha: 0.4, beta: 0.4) != a)
        // Tiny shapes underflow Gamma but still give a Beta value in [0, 1], almost always within
        // 1e-6 of 0 or 1 (98.6% of Beta(0.001, 0.001)'s mass), on both sides.
        let tiny = Self.betas(alpha: 1e-3, beta: 1e-3, seed: 5).prefix(400)
        #expect(tiny.allSatisfy { $0.isFinite && (0...1).contains($0) })
        #expect(tiny.filter { $0 < 1e-6 }.count > 150 && tiny.filter { $0 > 1 - 1e-6 }.count > 150)
    }
}
