import Foundation
import Randomness

/// Gamma and Beta variates drawn from a counter-based stream with a fixed number of counters per
/// draw, so any draw can be replayed alone and nothing depends on how many draws came before.
///
/// **Gamma(a)** is Marsaglia and Tsang's method ("A simple method for generating gamma
/// variables", 2000): with `d = a' − 1/3` and `c = 1/√(9d)` for `a' = max(a, a + 1 when a < 1)`,
/// an attempt draws a standard normal `x` and a uniform `u`, sets `v = (1 + c·x)³`, and accepts
/// `d·v` when `v > 0` and `log u < x²/2 + d − d·v + d·log v`. Shapes below 1 are boosted:
/// `Gamma(a) = Gamma(a + 1) · u₀^(1/a)`.
///
/// **Counters.** A Gamma draw at base counter `b` uses exactly the 64 counters `b ..< b + 64`:
/// - `b`: the boost's uniform `u₀` (read only when `a < 1`);
/// - attempt `k` in `0..<21`: `b + 1 + 3k` and `b + 2 + 3k` for the normal (Box–Muller:
///   `√(−2 log(1 − u₁)) · cos(2π u₂)`), `b + 3 + 3k` for the acceptance uniform.
///
/// An attempt is accepted with probability above 0.95 for every shape the method sees
/// (`a' ≥ 1`), so all 21 fail with probability below 0.05²¹ ≈ 5·10⁻²⁸; the draw then returns
/// `d`, the method's centre, rather than reading further counters.
///
/// **Beta(α, β)** is `X / (X + Y)` with `X ~ Gamma(α)` at base `b` and `Y ~ Gamma(β)` at
/// `b + 64` (128 counters), computed from the logarithms so that tiny shapes, whose Gamma
/// variates underflow, still give a value in [0, 1].
///
/// ```swift
/// let random = CounterRandom([seed, UInt64(epoch), UInt64(batch)])
/// let lambda = BetaSampler.beta(random, base: 64, alpha: 0.2, beta: 0.2)
/// ```
public enum BetaSampler {
    /// Counters one Gamma draw uses.
    public static let gammaCounters: UInt64 = 64
    /// Attempts of Marsaglia–Tsang within one Gamma draw's counters.
    static let attempts: UInt64 = 21

    /// `log X` for `X ~ Gamma(shape, 1)` from counters `base ..< base + 64` of `random`.
    /// - Precondition: `shape > 0` and finite.
    /// - Complexity: O(1): at most 21 attempts of a few logarithms.
    public static func logGamma(_ random: CounterRandom, base: UInt64, shape: Double) -> Double {
        precondition(shape > 0 && shape.isFinite, "a Gamma shape must be positive, got \(shape)")
        let boosted = shape < 1
        let d = (boosted ? shape + 1 : shape) - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        var logValue = log(d)
        for k in 0..<attempts {
            let at = base + 1 + 3 * k
            let x = normal(random, at)
            let root = 1 + c * x
            guard root > 0 else { continue }
            let v = root * root * root
            let u = random.unit(at + 2)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) {
                logValue = log(d * v)
                break
            }
        }
        if boosted { logValue += log(1 - random.unit(base)) / shape }
        return logValue
    }

    /// `X / (X + Y)` for `X ~ Gamma(alpha)` at counter `base` and `Y ~ Gamma(beta)` at `base + 64`:
    /// a Beta(alpha, beta) variate in [0, 1].
    /// - Precondition: both shapes positive and finite.
    public static func beta(_ random: CounterRandom, base: UInt64, alpha: Double, beta: Double) -> Double {
        let x = logGamma(random, base: base, shape: alpha)
        let y = logGamma(random, base: base + gammaCounters, shape: beta)
        // x/(x+y) = 1/(1 + e^(log y − log x)); an infinite difference gives exactly 0 or 1.
        return 1 / (1 + exp(y - x))
    }

    /// A standard normal from counters `at` and `at + 1` (Box–Muller's cosine branch).
    private static func normal(_ random: CounterRandom, _ at: UInt64) -> Double {
        let radius = (-2 * log(1 - random.unit(at))).squareRoot()
        return radius * cos(2 * Double.pi * random.unit(at + 1))
    }
}
