import Randomness

/// The batch ops of a training pipeline with the seed that keys their draws: one ``BatchMix`` per
/// (epoch, batch), drawn from the user's seed alone, so worker count, prefetch depth and which
/// worker rendered which sample never change it.
///
/// **Several ops.** When more than one op is listed, each batch gets exactly one of them, chosen
/// with equal probability (torchvision's `RandomChoice([CutMix(), MixUp()])`, timm's
/// `switch_prob = 0.5` for two), and the chosen op then acts with its own probability `p`.
///
/// **Draws.** The choice is `below(0, ops.count)` of
/// `CounterRandom([seed, epoch, batch, fnv1a64("batch_ops")])`; op `k` draws from its own stream
/// `CounterRandom([seed, epoch, batch, fnv1a64(name), occurrence])` with the counters
/// ``BatchOp`` documents (`occurrence` counts earlier ops of the same name), so adding an op
/// changes which op a batch gets but never what an op draws. `batch` is the key of the batch
/// within the epoch: the loader passes the epoch position of the batch's first sample (batch
/// index × batch size without sharding), which also differs between the shards of a
/// data-parallel run.
///
/// ```swift
/// let recipe = try BatchOpRecipe(ops: [.mixup(MixUp(alpha: 0.2)), .cutmix(CutMix(p: 0.5))], seed: 42)
/// let mix = recipe.draw(epoch: 0, batch: 128, height: 224, width: 224)
/// ```
public struct BatchOpRecipe: Sendable, Equatable {
    /// The ops; one of them acts on each batch.
    public let ops: [BatchOp]
    /// The user's seed, first part of every stream key.
    public let seed: UInt64

    /// - Throws: ``AugmentationError`` naming `batch_ops[i].name.key` for a bad α or p, or an empty list.
    public init(ops: [BatchOp], seed: UInt64) throws(AugmentationError) {
        try Self.validate(ops: ops)
        self.ops = ops
        self.seed = seed
    }

    /// Checks every op's parameters.
    public static func validate(ops: [BatchOp]) throws(AugmentationError) {
        guard !ops.isEmpty else {
            throw AugmentationError(parameter: "batch_ops", value: "[]", reason: "list at least one of: \(BatchOp.names.joined(separator: ", "))")
        }
        for (i, op) in ops.enumerated() { try op.validate(at: "batch_ops[\(i)].\(op.name)") }
    }

    /// The mix of batch `batch` (see the type's notes for the key) of `epoch`, for images of
    /// `height × width`.
    /// - Complexity: O(ops) hashes and at most 42 Marsaglia–Tsang attempts.
    public func draw(epoch: Int, batch: Int, height: Int, width: Int) -> BatchMix {
        let prefix = [seed, UInt64(truncatingIfNeeded: epoch), UInt64(truncatingIfNeeded: batch)]
        let chosen = ops.count == 1 ? 0 : CounterRandom(prefix + [OpRecipe.fnv1a64("batch_ops")]).below(0, ops.count)
        let occurrence = ops[..<chosen].filter { $0.name == ops[chosen].name }.count
        let stream = CounterRandom(prefix + [OpRecipe.fnv1a64(ops[chosen].name), UInt64(occurrence)])
        return ops[chosen].draw(stream, height: height, width: width)
    }
}
