import Foundation
import Randomness

/// `AugMix(severity=3, mixture_width=3, chain_depth=-1, alpha=1.0, all_ops=True,
/// interpolation=bilinear, fill=0)`: the image blended with `mixtureWidth` augmented copies
/// (``Mixture``). Each chain runs `chainDepth` sub-ops (1…3 drawn uniformly when not positive)
/// chosen uniformly from `PolicySpace.augMixChoices(allOps:)`, at a bin drawn uniformly below
/// `severity` of the `PolicySpace.augMix` magnitudes over 10 bins, negated with probability ½
/// when signed. The weights: `(m₀, m₁) ~ Dirichlet(α, α)` for the image and all chains,
/// the chains' share split by `Dirichlet(α, …, α)`.
///
/// Each chain renders from the source through the image's transform so far plus its own
/// sub-ops, so a chain's geometric sub-ops resample the source once where torchvision warps the
/// already-cropped uint8 image (see ``PolicyOp`` for the order departures). `aug_mix` must be the
/// last op of the pixel stage (only `normalize` and `random_erasing` may follow).
///
/// Draws: Gamma variate `v` (0 and 1 for `m`, `2 + i` for chain `i`'s share) from counters
/// `1000 + 64v …` (Marsaglia–Tsang: a normal from two counters, an acceptance from a third, per
/// attempt; `α < 1` boosted by counter `1063 + 64v`); chain `i` from counters `c = 100000 + 256i`:
/// its depth from `c`, sub-op `d`'s choice from `c + 1 + 3d`, bin from `c + 2 + 3d`, sign from
/// `c + 3 + 3d`.
public struct AugMix: Sendable, Equatable {
    public var severity: Int
    public var mixtureWidth: Int
    /// Sub-ops per chain; 0 or less draws 1…3 per chain.
    public var chainDepth: Int
    public var alpha: Double
    /// All 13 sub-ops (with brightness, colour, contrast, sharpness), or the partial 9.
    public var allOps: Bool
    public var interpolation: InterpolationOrder
    /// Pixels brought in by the geometric sub-ops, in pixel units.
    public var fill: Double
    public init(severity: Int = 3, mixtureWidth: Int = 3, chainDepth: Int = -1, alpha: Double = 1, allOps: Bool = true,
                interpolation: InterpolationOrder = .bilinear, fill: Double = 0) {
        self.severity = severity
        self.mixtureWidth = mixtureWidth
        self.chainDepth = chainDepth
        self.alpha = alpha
        self.allOps = allOps
        self.interpolation = interpolation
        self.fill = fill
    }

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        let g0 = Self.gamma(random, shape: alpha, variate: 0), g1 = Self.gamma(random, shape: alpha, variate: 1)
        let shares = (0..<mixtureWidth).map { Self.gamma(random, shape: alpha, variate: 2 + $0) }
        let total = shares.reduce(0, +), m1 = g1 / (g0 + g1)
        let choices = PolicySpace.augMixChoices(allOps: allOps)
        var chains: [Mixture.Chain] = []
        for i in 0..<mixtureWidth {
            var chain = t
            let c = 100_000 + 256 * UInt64(i)
            let depth = chainDepth > 0 ? chainDepth : 1 + random.below(c, 3)
            for d in 0..<UInt64(depth) {
                let op = choices[random.below(c + 1 + 3 * d, choices.count)]
                var m = 0.0
                if let magnitudes = PolicySpace.augMix.magnitudes(op, bins: 10, width: t.width, height: t.height) {
                    m = magnitudes[random.below(c + 2 + 3 * d, severity)]
                    if op.isSigned && random.unit(c + 3 + 3 * d) <= 0.5 { m = -m }
                }
                op.apply(m, to: &chain, policy: "aug_mix", interpolation: interpolation, fill: fill)
                if let last = chain.applied.last { t.record(last.name, last.parameters.merging(["chain": .int(i)]) { $1 }) }
            }
            chains.append(Mixture.Chain(weight: shares[i] / total * m1, transform: chain))
        }
        t.mix(original: g0 / (g0 + g1), chains: chains)
    }

    /// A Gamma(`shape`, 1) variate (Marsaglia and Tsang's method) from its own block of counters;
    /// after 20 rejections (probability below 10⁻²⁵) the mode of the boosted shape.
    static func gamma(_ random: CounterRandom, shape: Double, variate: Int) -> Double {
        let base = 1_000 + 64 * UInt64(variate)
        let a = shape < 1 ? shape + 1 : shape
        let d = a - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        var value = d
        for attempt in 0..<UInt64(20) {
            let k = base + 3 * attempt
            let x = (-2 * log(1 - random.unit(k))).squareRoot() * cos(2 * .pi * random.unit(k + 1))
            let v = pow(1 + c * x, 3)
            guard v > 0 else { continue }
            if log(1 - random.unit(k + 2)) < 0.5 * x * x + d - d * v + d * log(v) {
                value = d * v
                break
            }
        }
        return shape < 1 ? value * pow(1 - random.unit(base + 63), 1 / shape) : value
    }
}
