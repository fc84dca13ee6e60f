/// What happened in one epoch, available once it has been consumed.
public struct EpochSummary: Sendable, Equatable {
    /// A sample that failed to render and was replaced (`BadFilePolicy.skip`).
    public struct SkippedSample: Sendable, Equatable {
        /// The sample's index in the source.
        public var index: Int
        /// Why it failed (the error's description, with the path for files).
        public var reason: String
    }

    /// The epoch number.
    public var epoch: Int
    /// Batches delivered to the consumer.
    public var batchCount: Int
    /// Samples delivered (substitutes included).
    public var sampleCount: Int
    /// Samples skipped this epoch, by index.
    public var skipped: [SkippedSample]
    /// Seconds the consumer spent waiting for batches (the pipeline's share of the step time).
    public var waitSeconds: Double
}
