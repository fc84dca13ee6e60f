/// One mini-batch: where `DataPipeline` and `Training` meet.
///
/// `inputs` has the batch on its first axis (N×H×W×C or N×C×H×W);
/// `targets` is N×K (one-hot, multi-label or raw values) or N (sparse labels);
/// `sampleWeights`, when present, has N elements; `annotations`, when the task has
/// them, holds masks, boxes or keypoints (``BatchAnnotations``).
public struct Batch: Sendable, Equatable {
    public var inputs: Tensor
    public var targets: Tensor
    public var sampleWeights: Tensor?
    /// Position of the first sample in the epoch's whole sample order, when
    /// the source knows it (a shard's batches are not contiguous in that
    /// order); `fit` keys dropout masks by it, else counts batches itself.
    public var epochPosition: Int?
    /// Masks, boxes or keypoints of the samples, when the task has them.
    public var annotations: BatchAnnotations?

    /// A batch; `inputs` must have a batch axis.
    public init(inputs: Tensor, targets: Tensor, sampleWeights: Tensor? = nil, epochPosition: Int? = nil,
                annotations: BatchAnnotations? = nil) {
        precondition(inputs.rank >= 1, "batch inputs need a batch axis")
        self.inputs = inputs
        self.targets = targets
        self.sampleWeights = sampleWeights
        self.epochPosition = epochPosition
        self.annotations = annotations
    }

    /// Number of samples in the batch.
    public var count: Int { inputs.shape.first ?? 0 }
}
