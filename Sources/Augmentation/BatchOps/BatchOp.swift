import Randomness

/// One op of a ``BatchOpRecipe``: torchvision.transforms.v2's `MixUp` or `CutMix` on a whole
/// collated batch, with a probability `p` of acting on a batch (timm's `prob`).
///
/// Both pair sample `i` with sample `i − 1` (the batch rolled by one, torchvision's
/// `batch.roll(1, 0)`; sample 0 with the last one) and mix the targets in the same proportion,
/// so the labels become soft: N×K probabilities. They cannot carry per-sample annotations
/// (masks, boxes, keypoints): a pipeline with those refuses them by ``name``.
///
/// ```swift
/// let ops: [BatchOp] = [.mixup(MixUp(alpha: 0.2)), .cutmix(CutMix(alpha: 1.0, p: 0.5))]
/// ```
public enum BatchOp: Sendable, Equatable {
    case mixup(MixUp)
    case cutmix(CutMix)

    /// The pipeline-file name.
    public var name: String {
        switch self {
        case .mixup: "mixup"
        case .cutmix: "cutmix"
        }
    }

    /// Every batch op name.
    public static let names = ["mixup", "cutmix"]

    /// α and p.
    public var parameters: BatchOpParameters {
        switch self {
        case .mixup(let parameters), .cutmix(let parameters): parameters
        }
    }

    /// The Beta distribution's α (both shapes are α).
    public var alpha: Double { parameters.alpha }

    /// The probability that the op acts on a batch it is chosen for.
    public var p: Double { parameters.p }

    /// Draws the op's mix of one `height × width` batch from its own stream `random`.
    ///
    /// Counters: 0, whether it acts (`unit(0) < p`); 1 and 2, CutMix's box centre
    /// `r_x = below(1, width)` and `r_y = below(2, height)`; 64 ..< 192, λ ~ Beta(α, α)
    /// (``BetaSampler/beta(_:base:alpha:beta:)`` at base 64).
    func draw(_ random: CounterRandom, height: Int, width: Int) -> BatchMix {
        guard random.unit(0) < p else { return .none }
        let lambda = BetaSampler.beta(random, base: 64, alpha: alpha, beta: alpha)
        switch self {
        case .mixup:
            return .mixup(lambda: lambda)
        case .cutmix:
            let box = CutMixBox(lambda: lambda, centerX: random.below(1, width), centerY: random.below(2, height),
                                height: height, width: width)
            return .cutmix(box)
        }
    }

    /// Checks α and p; `at` names the op in errors (`batch_ops[1].cutmix`).
    func validate(at: String) throws(AugmentationError) {
        guard alpha > 0, alpha.isFinite else {
            throw AugmentationError(parameter: "\(at).alpha", value: "\(alpha)", reason: "must be positive and finite")
        }
        guard (0...1).contains(p) else {
            throw AugmentationError(parameter: "\(at).p", value: "\(p)", reason: "must be in [0, 1]")
        }
    }
}

/// The parameters of a batch op: the Beta distribution's α (> 0; small values keep λ near 0
/// or 1) and the probability `p` of acting on a batch, in [0, 1]. ``MixUp`` and ``CutMix`` name
/// it for each op.
public struct BatchOpParameters: Sendable, Equatable {
    /// The Beta distribution's α.
    public var alpha: Double
    /// The probability of acting on a batch.
    public var p: Double
    /// torchvision's default α = 1; `p` = 1 acts on every batch.
    public init(alpha: Double = 1.0, p: Double = 1.0) {
        self.alpha = alpha
        self.p = p
    }
}

/// `MixUp(alpha=1.0)`: every image becomes `λ·x + (1 − λ)·x_rolled`, λ ~ Beta(α, α), and the
/// targets likewise.
public typealias MixUp = BatchOpParameters

/// `CutMix(alpha=1.0)`: a box of about `(1 − λ)` of the image, λ ~ Beta(α, α), is pasted from the
/// rolled batch into every image (``CutMixBox``), and the targets are mixed by the share of the
/// image the clamped box leaves.
public typealias CutMix = BatchOpParameters
