/// What a layer needs to know about the pass it runs in.
///
/// Random layers draw from streams keyed by the model's seed, their node's
/// name (``streamKey``), the epoch and the sample's position in the epoch
/// (``sampleOffset`` plus its row in the batch), never by list position,
/// batch slot or step: so a run split across processes, or resumed, draws
/// the same values for the same sample.
public struct ForwardContext: Sendable {
    /// Training behaviour (dropout active, batch statistics) or inference.
    public var training: Bool
    /// The model's seed.
    public var seed: UInt64
    /// The epoch (0-based) of the batch.
    public var epoch: Int
    /// Position in the epoch's sample order of the batch's first sample.
    public var sampleOffset: Int
    /// The node's stream identifier (``ForwardContext/streamKey(of:)`` of its name),
    /// set by the model for each layer it runs.
    public var streamKey: UInt64
    /// Whether the backward pass will ask for the node's input gradients
    /// (set by the model for each node; a nested model chooses its kernels by it).
    public var needsInputGradient = false
    /// Inference only: where layers take their outputs, so that a pass holds
    /// its live activations only (see ``output(_:else:)``).
    var arena: ActivationArena?
    /// Training passes of a data-parallel run with synchronised batch
    /// normalisation: where those layers sum their statistics over processes.
    var batchStatistics: BatchStatisticsSync?
    /// Whether folded kernels made earlier in this pass (or this `predict`
    /// call) are current: set for a model's nodes and for the later
    /// sub-batches of one `predict`, whose weights cannot have changed.
    var foldsAreCurrent = false

    /// A context; seed, epoch, offset and key matter only to random layers.
    public init(training: Bool, seed: UInt64 = 0, epoch: Int = 0, sampleOffset: Int = 0, streamKey: UInt64 = 0) {
        self.training = training
        self.seed = seed
        self.epoch = epoch
        self.sampleOffset = sampleOffset
        self.streamKey = streamKey
    }

    /// Room for a layer's `count` output values: from the pass's arena in
    /// inference, else the layer's own `buffer` (kept for the backward pass).
    public func output(_ count: Int, else buffer: ScratchBuffer) -> UnsafeMutablePointer<Float> {
        arena?.take(count) ?? buffer.reserve(count)
    }

    /// The context of the node named `name` inside the node this context is
    /// for (a top-level model's context has key 0): nested models' nodes get
    /// keys of their own even when their names repeat the outer model's.
    func forNode(named name: String) -> ForwardContext {
        var context = self
        context.streamKey = CounterRandom.key([streamKey, ForwardContext.streamKey(of: name)])
        return context
    }

    /// A stable 64-bit identifier of a node name (FNV-1a of its UTF-8 bytes),
    /// folded into random stream keys.
    public static func streamKey(of name: String) -> UInt64 {
        name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}
