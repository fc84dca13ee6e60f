extension Model {
    /// Makes every ``BatchNormalization`` layer of the model, nested models'
    /// included, normalise with the global batch's statistics in a
    /// data-parallel run (``BatchNormalization/synchronized``), or, with
    /// `false`, with each process's own (the default). What
    /// `torch.nn.SyncBatchNorm.convert_sync_batchnorm` does to a PyTorch model.
    ///
    /// ```swift
    /// model.synchronizeBatchNormalization()
    /// model.trainer?.reducer = MPIGradientReducer(communicator: world)
    /// ```
    /// - Returns: the number of batch normalisation layers set.
    @discardableResult
    public func synchronizeBatchNormalization(_ synchronized: Bool = true) -> Int {
        let layers = batchNormalizationLayers
        for layer in layers { layer.synchronized = synchronized }
        return layers.count
    }

    /// The batch normalisation layers, nested models' included, in topological order.
    var batchNormalizationLayers: [BatchNormalization] {
        layers.flatMap { layer -> [BatchNormalization] in
            if let normalization = layer as? BatchNormalization { return [normalization] }
            return (layer as? Model)?.batchNormalizationLayers ?? []
        }
    }

    /// Whether a training pass sums batch statistics over processes: some
    /// synchronised layer computes batch statistics (it is trainable).
    var hasSynchronizedBatchStatistics: Bool {
        batchNormalizationLayers.contains { $0.synchronized && $0.trainable }
    }
}
