import Randomness

/// An ordered list of ``AugmentationOp``s with the seed that keys their draws and the output size:
/// draws one ``SampleTransform`` per (epoch, sample index) before anything is decoded.
///
/// **Draws.** Op `k` draws from its own stream
/// `CounterRandom([seed, epoch, index, fnv1a64(name), occurrence])`, where `occurrence` counts the
/// earlier ops of the same name (0 for the first `color_jitter`, 1 for a second one). Enabling,
/// removing or moving one op therefore never changes another op's draws.
///
/// **Order.** The fused kernel warps first, then colours, runs the pixel ops (``PixelOp``, the
/// policies), normalises and erases, so a recipe's ops must come in that order of stages
/// (geometry, colour, pixel, `normalize`, `random_erasing`); other
/// orders, a second `normalize`, rotations with different fills or a fixed size other than the
/// output size are ``AugmentationError``s naming the op. When the geometric ops leave a size that
/// depends on the image (none, or `resize` of the shorter side alone), the image is resized to
/// the output size last.
///
/// ```swift
/// let recipe = try OpRecipe(ops: [.randomResizedCrop(.init(size: .square(224))), .horizontalFlip(.init()),
///                                 .normalize(.imagenet)], outputHeight: 224, outputWidth: 224, seed: 42)
/// let t = recipe.transform(epoch: 0, index: 17, sourceWidth: 500, sourceHeight: 375)
/// ```
public struct OpRecipe: Sendable, Equatable {
    public let ops: [AugmentationOp]
    public let outputHeight: Int
    public let outputWidth: Int
    public let seed: UInt64
    private let streams: [(name: UInt64, occurrence: UInt64)]

    /// - Throws: ``AugmentationError`` naming `ops[i].name` for a bad parameter or an order the
    ///   kernel cannot run.
    public init(ops: [AugmentationOp], outputHeight: Int, outputWidth: Int, seed: UInt64) throws(AugmentationError) {
        guard outputHeight > 0, outputWidth > 0 else {
            throw AugmentationError(parameter: "output size", value: "\(outputWidth)x\(outputHeight)",
                                    reason: "must be positive")
        }
        try Self.validate(ops, outputHeight: outputHeight, outputWidth: outputWidth)
        self.ops = ops
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
        self.seed = seed
        var seen: [String: UInt64] = [:]
        streams = ops.map { op in
            let occurrence = seen[op.name, default: 0]
            seen[op.name] = occurrence + 1
            return (Self.fnv1a64(op.name), occurrence)
        }
    }

    public static func == (a: OpRecipe, b: OpRecipe) -> Bool {
        a.ops == b.ops && a.outputHeight == b.outputHeight && a.outputWidth == b.outputWidth && a.seed == b.seed
    }

    /// The recipe with only its deterministic ops (resize, center crop, normalize): what
    /// validation and test images go through.
    public var withoutRandomOps: OpRecipe {
        // Dropping ops keeps the stage order and every remaining parameter valid.
        try! OpRecipe(ops: ops.filter { !$0.isRandom }, outputHeight: outputHeight, outputWidth: outputWidth, seed: seed)
    }

    /// The recipe without `normalize`: pixels stay in 0…255 (previews).
    public var withoutNormalization: OpRecipe {
        try! OpRecipe(ops: ops.filter { $0.stage != .normalization }, outputHeight: outputHeight,
                      outputWidth: outputWidth, seed: seed)
    }

    /// The transform of sample `index` in `epoch` for an upright source of `sourceWidth × sourceHeight`.
    /// - Complexity: O(ops); a few 64-bit hashes per draw, no shared state.
    public func transform(epoch: Int, index: Int, sourceWidth: Int, sourceHeight: Int) -> SampleTransform {
        var t = SampleTransform(canvasWidth: sourceWidth, canvasHeight: sourceHeight)
        let prefix = [seed, UInt64(truncatingIfNeeded: epoch), UInt64(truncatingIfNeeded: index)]
        for (op, stream) in zip(ops, streams) {
            if op.stage > .geometry { t.fit(height: outputHeight, width: outputWidth) }
            op.draw(CounterRandom(prefix + [stream.name, stream.occurrence]), into: &t)
        }
        t.fit(height: outputHeight, width: outputWidth)
        return t
    }

    /// Checks that images of `channels` channels can take this recipe.
    public func validate(channels: Int) throws(AugmentationError) {
        for (i, op) in ops.enumerated() {
            switch op {
            case _ where op.stage == .color || op.stage == .pixel:
                guard channels == 1 || channels == 3 else {
                    throw AugmentationError(parameter: "ops[\(i)].\(op.name)", value: "\(channels) channels",
                                            reason: "colour and pixel ops take grayscale or RGB images")
                }
            case .normalize(let n):
                for (key, values) in [("mean", n.mean), ("std", n.std)] where values.count != 1 && values.count != channels {
                    throw AugmentationError(parameter: "ops[\(i)].normalize.\(key)", value: "\(values)",
                                            reason: "needs 1 or \(channels) values for \(channels)-channel images")
                }
            case .randomErasing(let e):
                guard e.value.count == 1 || e.value.count == channels else {
                    throw AugmentationError(parameter: "ops[\(i)].random_erasing.value", value: "\(e.value)",
                                            reason: "needs 1 or \(channels) values for \(channels)-channel images")
                }
            default: break
            }
        }
    }

    /// Checks `ops` alone (parameters, stage order, fills), without an output size.
    /// - Throws: ``AugmentationError`` naming `ops[i].name` and the key.
    public static func validate(ops: [AugmentationOp]) throws(AugmentationError) {
        try validate(ops, outputHeight: nil, outputWidth: nil)
    }

    /// FNV-1a, 64 bits, of the UTF-8 bytes of `text`: the stable key of an op name.
    static func fnv1a64(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }

    private static func validate(_ ops: [AugmentationOp], outputHeight: Int?, outputWidth: Int?) throws(AugmentationError) {
        var stage = AugmentationOp.Stage.geometry
        var fixedSize: (height: Int, width: Int)?
        var fill: Double?
        var padMode = FillMode.constant
        for (i, op) in ops.enumerated() {
            let at = "ops[\(i)].\(op.name)"
            func fail(_ key: String, _ value: String, _ reason: String) -> AugmentationError {
                AugmentationError(parameter: key.isEmpty ? at : "\(at).\(key)", value: value, reason: reason)
            }
            func size(_ s: OpSize, _ key: String = "size") throws(AugmentationError) {
                guard s.height > 0, s.width > 0 else { throw fail(key, "\(s)", "must be positive") }
            }
            func probability(_ p: Double) throws(AugmentationError) {
                guard (0...1).contains(p) else { throw fail("p", "\(p)", "must be in [0, 1]") }
            }
            func range(_ r: OpRange?, _ key: String, positive: Bool = false) throws(AugmentationError) {
                guard let r else { return }
                guard r.lower <= r.upper, r.lower.isFinite, r.upper.isFinite else {
                    throw fail(key, "[\(r.lower), \(r.upper)]", "needs finite lower <= upper")
                }
                if positive && r.lower <= 0 { throw fail(key, "[\(r.lower), \(r.upper)]", "must be positive") }
            }
            if stage == .pixel, i > 0, case .augMix = ops[i - 1], op.stage == .pixel {
                throw fail("", "after aug_mix", "aug_mix blends the pixel stage's result: it must be the stage's last op")
            }
            guard op.stage >= stage else {
                throw fail("", "after a \(stage) op",
                           "the kernel warps, then colours, runs pixel ops, normalises and erases: put \(op.stage) ops before \(stage) ops")
            }
            if op.stage == .normalization && stage == .normalization {
                throw fail("", "a second normalize", "a recipe normalises once")
            }
            stage = op.stage
            switch op {
            case .resize(let r):
                try size(r.size)
                if case .pair(let h, let w) = r.size { fixedSize = (h, w) } else { fixedSize = nil }
            case .centerCrop(let c):
                try size(c.size)
                fixedSize = (c.size.height, c.size.width)
            case .randomCrop(let c):
                try size(c.size)
                guard c.padding.count == 4, c.padding.allSatisfy({ $0 >= 0 }) else {
                    throw fail("padding", "\(c.padding)", "needs four numbers >= 0 (left, top, right, bottom)")
                }
                guard c.paddingMode != .wrap else { throw fail("padding_mode", "wrap", "is not a torchvision padding mode") }
                if c.paddingMode != .constant || c.padding.contains(where: { $0 > 0 }) || c.padIfNeeded {
                    if let fill, fill != c.fill || c.paddingMode != .constant {
                        throw fail("padding_mode", "\(c.paddingMode)", "cannot combine with an earlier op's fill")
                    }
                    fill = c.fill
                    padMode = c.paddingMode
                }
                fixedSize = (c.size.height, c.size.width)
            case .randomResizedCrop(let c):
                try size(c.size)
                try range(c.scale, "scale", positive: true)
                try range(c.ratio, "ratio", positive: true)
                fixedSize = (c.size.height, c.size.width)
            case .horizontalFlip(let f), .verticalFlip(let f):
                try probability(f.p)
            case .randomRotation(let r):
                try range(r.degrees, "degrees")
                if let fill, fill != r.fill || padMode != .constant {
                    throw fail("fill", "\(r.fill)", "cannot combine with an earlier op's fill or padding mode")
                }
                fill = r.fill
            case .randomAffine(let a):
                try range(a.degrees, "degrees")
                try range(a.scale, "scale", positive: true)
                try range(a.shear?.x, "shear")
                try range(a.shear?.y, "shear")
                if let t = a.translate, !(0...1).contains(t.x) || !(0...1).contains(t.y) {
                    throw fail("translate", "[\(t.x), \(t.y)]", "each must be in [0, 1]")
                }
                if let fill, fill != a.fill || padMode != .constant {
                    throw fail("fill", "\(a.fill)", "cannot combine with an earlier op's fill or padding mode")
                }
                fill = a.fill
            case .colorJitter(let j):
                for (key, r) in [("brightness", j.brightness), ("contrast", j.contrast), ("saturation", j.saturation)] {
                    try range(r, key)
                    if let r, r.lower < 0 { throw fail(key, "[\(r.lower), \(r.upper)]", "factors must be >= 0") }
                }
                try range(j.hue, "hue")
                if let h = j.hue, h.lower < -0.5 || h.upper > 0.5 {
                    throw fail("hue", "[\(h.lower), \(h.upper)]", "must lie in [-0.5, 0.5]")
                }
            case .randomGrayscale(let g):
                try probability(g.p)
            case .normalize(let n):
                guard !n.mean.isEmpty, !n.std.isEmpty,
                      n.mean.count == n.std.count || n.mean.count == 1 || n.std.count == 1 else {
                    throw fail("std", "\(n.std)", "needs one value or as many as mean (\(n.mean.count))")
                }
                guard n.std.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw fail("std", "\(n.std)", "must be positive") }
            case .randomErasing(let e):
                try probability(e.p)
                try range(e.scale, "scale", positive: true)
                try range(e.ratio, "ratio", positive: true)
                guard !e.value.isEmpty else { throw fail("value", "[]", "needs a value") }
            case .gaussianBlur(let b):
                for (key, k) in [("kernel_size", b.kernelWidth), ("kernel_size", b.kernelHeight)] where k <= 0 || k % 2 == 0 {
                    throw fail(key, "[\(b.kernelWidth), \(b.kernelHeight)]", "needs odd positive sizes")
                }
                try range(b.sigma, "sigma", positive: true)
            case .randomPosterize(let r):
                try probability(r.p)
                guard (0...8).contains(r.bits) else { throw fail("bits", "\(r.bits)", "must be in 0...8") }
            case .randomSolarize(let r):
                try probability(r.p)
                guard (0...255).contains(r.threshold) else { throw fail("threshold", "\(r.threshold)", "must be in [0, 255] (pixel units)") }
            case .randomAdjustSharpness(let r):
                try probability(r.p)
                guard r.sharpnessFactor >= 0, r.sharpnessFactor.isFinite else {
                    throw fail("sharpness_factor", "\(r.sharpnessFactor)", "must be >= 0")
                }
            case .randomEqualize(let r), .randomAutocontrast(let r), .randomInvert(let r):
                try probability(r.p)
            case .randAugment, .trivialAugmentWide, .autoAugment, .augMix:
                if let problem = op.policyProblem { throw fail(problem.key, problem.value, problem.reason) }
                let policyFill = op.policyFill ?? 0
                if let fill, fill != policyFill || padMode != .constant {
                    throw fail("fill", "\(policyFill)", "cannot combine with an earlier op's fill or padding mode")
                }
                fill = policyFill
            }
        }
        if let fixedSize, let outputHeight, let outputWidth, fixedSize != (outputHeight, outputWidth) {
            throw AugmentationError(parameter: "ops", value: "\(fixedSize.width)x\(fixedSize.height)",
                                    reason: "the ops produce \(fixedSize.width)x\(fixedSize.height) images but the output is \(outputWidth)x\(outputHeight) (target_size)")
        }
    }
}
