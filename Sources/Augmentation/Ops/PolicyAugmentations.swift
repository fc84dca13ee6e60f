import Randomness

/// `RandAugment(num_ops=2, magnitude=9, num_magnitude_bins=31, interpolation=nearest, fill=0)`:
/// `numOps` sub-ops in a row, each chosen uniformly from the 14 of `PolicySpace.choices`, at
/// bin `magnitude` of its `PolicySpace.standard` magnitudes (for the image size it sees),
/// negated with probability ½ when signed. See ``PolicyOp`` for what each does and where the
/// one-pass engine departs from torchvision's op-by-op order.
///
/// Draws: sub-op `k` is chosen from counter `2k`, its sign from counter `2k + 1`.
public struct RandAugment: Sendable, Equatable {
    public var numOps: Int
    public var magnitude: Int
    public var numMagnitudeBins: Int
    public var interpolation: InterpolationOrder
    /// Pixels brought in by the geometric sub-ops, in pixel units (torchvision's `fill=None` is 0).
    public var fill: Double
    public init(numOps: Int = 2, magnitude: Int = 9, numMagnitudeBins: Int = 31,
                interpolation: InterpolationOrder = .nearest, fill: Double = 0) {
        self.numOps = numOps
        self.magnitude = magnitude
        self.numMagnitudeBins = numMagnitudeBins
        self.interpolation = interpolation
        self.fill = fill
    }

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        let (width, height) = (t.width, t.height)
        for k in 0..<UInt64(numOps) {
            let op = PolicySpace.choices[random.below(2 * k, PolicySpace.choices.count)]
            var m = 0.0
            if let magnitudes = PolicySpace.standard.magnitudes(op, bins: numMagnitudeBins, width: width, height: height) {
                m = magnitudes[magnitude]
                if op.isSigned && random.unit(2 * k + 1) <= 0.5 { m = -m }
            }
            op.apply(m, to: &t, policy: "rand_augment", interpolation: interpolation, fill: fill)
        }
    }
}

/// `TrivialAugmentWide(num_magnitude_bins=31, interpolation=nearest, fill=0)`: one sub-op chosen
/// uniformly from the 14 of `PolicySpace.choices` at a uniformly drawn bin of its
/// `PolicySpace.wide` magnitudes, negated with probability ½ when signed (``PolicyOp``).
///
/// Draws: the sub-op from counter 0, the bin from counter 1, the sign from counter 2.
public struct TrivialAugmentWide: Sendable, Equatable {
    public var numMagnitudeBins: Int
    public var interpolation: InterpolationOrder
    /// Pixels brought in by the geometric sub-ops, in pixel units.
    public var fill: Double
    public init(numMagnitudeBins: Int = 31, interpolation: InterpolationOrder = .nearest, fill: Double = 0) {
        self.numMagnitudeBins = numMagnitudeBins
        self.interpolation = interpolation
        self.fill = fill
    }

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        let op = PolicySpace.choices[random.below(0, PolicySpace.choices.count)]
        var m = 0.0
        if let magnitudes = PolicySpace.wide.magnitudes(op, bins: numMagnitudeBins, width: t.width, height: t.height) {
            m = magnitudes[random.below(1, numMagnitudeBins)]
            if op.isSigned && random.unit(2) <= 0.5 { m = -m }
        }
        op.apply(m, to: &t, policy: "trivial_augment_wide", interpolation: interpolation, fill: fill)
    }
}

/// `AutoAugment(policy=IMAGENET, interpolation=nearest, fill=0)`: one of the 25 sub-policies of
/// the ImageNet policy chosen uniformly, each of its two sub-ops applied with its probability at
/// its bin of the `PolicySpace.standard` magnitudes over 10 bins, negated with probability ½
/// when signed (``PolicyOp``).
///
/// Draws: the sub-policy from counter 0; sub-op `j` (0, 1) applies when counter `1 + j` is below
/// its probability and takes its sign from counter `3 + j`.
public struct AutoAugment: Sendable, Equatable {
    /// The policies torchvision defines; the ImageNet one is offered.
    public enum Policy: String, Sendable, Equatable { case imagenet }

    public var policy: Policy
    public var interpolation: InterpolationOrder
    /// Pixels brought in by the geometric sub-ops, in pixel units.
    public var fill: Double
    public init(policy: Policy = .imagenet, interpolation: InterpolationOrder = .nearest, fill: Double = 0) {
        self.policy = policy
        self.interpolation = interpolation
        self.fill = fill
    }

    /// One sub-op of a sub-policy: the op, its probability and its magnitude bin.
    typealias Step = (op: PolicyOp, p: Double, bin: Int?)

    /// torchvision's `AutoAugmentPolicy.IMAGENET`, in its order.
    static let imagenet: [(Step, Step)] = [
        ((.posterize, 0.4, 8), (.rotate, 0.6, 9)), ((.solarize, 0.6, 5), (.autoContrast, 0.6, nil)),
        ((.equalize, 0.8, nil), (.equalize, 0.6, nil)), ((.posterize, 0.6, 7), (.posterize, 0.6, 6)),
        ((.equalize, 0.4, nil), (.solarize, 0.2, 4)), ((.equalize, 0.4, nil), (.rotate, 0.8, 8)),
        ((.solarize, 0.6, 3), (.equalize, 0.6, nil)), ((.posterize, 0.8, 5), (.equalize, 1.0, nil)),
        ((.rotate, 0.2, 3), (.solarize, 0.6, 8)), ((.equalize, 0.6, nil), (.posterize, 0.4, 6)),
        ((.rotate, 0.8, 8), (.color, 0.4, 0)), ((.rotate, 0.4, 9), (.equalize, 0.6, nil)),
        ((.equalize, 0.0, nil), (.equalize, 0.8, nil)), ((.invert, 0.6, nil), (.equalize, 1.0, nil)),
        ((.color, 0.6, 4), (.contrast, 1.0, 8)), ((.rotate, 0.8, 8), (.color, 1.0, 2)),
        ((.color, 0.8, 8), (.solarize, 0.8, 7)), ((.sharpness, 0.4, 7), (.invert, 0.6, nil)),
        ((.shearX, 0.6, 5), (.equalize, 1.0, nil)), ((.color, 0.4, 0), (.equalize, 0.6, nil)),
        ((.equalize, 0.4, nil), (.solarize, 0.2, 4)), ((.solarize, 0.6, 5), (.autoContrast, 0.6, nil)),
        ((.invert, 0.6, nil), (.equalize, 1.0, nil)), ((.color, 0.6, 4), (.contrast, 1.0, 8)),
        ((.equalize, 0.8, nil), (.equalize, 0.6, nil)),
    ]

    func draw(_ random: CounterRandom, into t: inout SampleTransform) {
        let table = Self.imagenet
        let (first, second) = table[random.below(0, table.count)]
        let (width, height) = (t.width, t.height)
        for (j, step) in [first, second].enumerated() where random.unit(1 + UInt64(j)) < step.p {
            var m = 0.0
            if let bin = step.bin, let magnitudes = PolicySpace.standard.magnitudes(step.op, bins: 10, width: width,
                                                                                    height: height) {
                m = magnitudes[bin]
                if step.op.isSigned && random.unit(3 + UInt64(j)) <= 0.5 { m = -m }
            }
            step.op.apply(m, to: &t, policy: "auto_augment", interpolation: interpolation, fill: fill)
        }
    }
}

extension AugmentationOp {
    /// The fill of a policy op (``RandAugment``, ``TrivialAugmentWide``, ``AutoAugment``), else `nil`.
    var policyFill: Double? {
        switch self {
        case .randAugment(let r): r.fill
        case .trivialAugmentWide(let t): t.fill
        case .autoAugment(let a): a.fill
        case .augMix(let a): a.fill
        default: nil
        }
    }

    /// The first bad parameter of a policy op (its key, value and why), for ``OpRecipe``'s checks.
    var policyProblem: (key: String, value: String, reason: String)? {
        var bins: Int?
        switch self {
        case .randAugment(let r):
            guard (0...64).contains(r.numOps) else { return ("num_ops", "\(r.numOps)", "must be in 0...64") }
            bins = r.numMagnitudeBins
            if r.numMagnitudeBins >= 2, !(0..<r.numMagnitudeBins).contains(r.magnitude) {
                return ("magnitude", "\(r.magnitude)", "must be in 0..<num_magnitude_bins (\(r.numMagnitudeBins))")
            }
        case .trivialAugmentWide(let t): bins = t.numMagnitudeBins
        case .augMix(let a):
            guard (1...10).contains(a.severity) else { return ("severity", "\(a.severity)", "must be in 1...10") }
            guard (1...16).contains(a.mixtureWidth) else {
                return ("mixture_width", "\(a.mixtureWidth)", "must be in 1...16 (each chain is one more render)")
            }
            guard a.chainDepth <= 64 else { return ("chain_depth", "\(a.chainDepth)", "must be at most 64 (0 or less: 1...3 drawn)") }
            guard a.alpha > 0, a.alpha.isFinite else { return ("alpha", "\(a.alpha)", "must be positive") }
        default: break
        }
        if let bins, bins < 2 { return ("num_magnitude_bins", "\(bins)", "must be at least 2") }
        if let fill = policyFill, !(0...255).contains(fill) { return ("fill", "\(fill)", "must be in [0, 255] (pixel units)") }
        return nil
    }
}
