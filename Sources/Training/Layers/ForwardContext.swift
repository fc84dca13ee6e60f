/// What a layer needs to know about the pass it runs in.
public struct ForwardContext: Sendable {
    /// Training behaviour (dropout active, batch statistics) or inference.
    public var training: Bool
    /// The model's seed; random layers derive their streams from it.
    public var seed: UInt64
    /// Index of the optimisation step (random masks differ per step).
    public var step: Int
    /// Position of the layer in its model.
    public var layerIndex: Int

    /// A context; seed, step and layer index matter only to random layers.
    public init(training: Bool, seed: UInt64 = 0, step: Int = 0, layerIndex: Int = 0) {
        self.training = training
        self.seed = seed
        self.step = step
        self.layerIndex = layerIndex
    }
}
