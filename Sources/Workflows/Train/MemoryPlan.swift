import CPUBudget
import DataPipeline
import Training

/// The memory checks of a training run, each made before the buffers it
/// estimates are allocated, against `MemoryLimit.current`; a refusal names
/// the pipeline-file key that decides the size.
enum MemoryPlan {
    /// The loaders' batch pools (training, validation, test), before any image is read.
    static func checkBatchPools(_ pipeline: PipelineFile, validation: Bool) throws(MemoryLimitError) {
        let data = pipeline.data
        let sampleSize = MemoryLimit.product([data.height, data.width, data.imageColorMode.channels])
        var batchSizes = [data.batchSize]
        if validation { batchSizes.append(data.batchSize) }
        if let test = pipeline.test { batchSizes.append(test.batchSize ?? data.batchSize) }
        var total = 0
        for batchSize in batchSizes {
            let bytes = LoaderOptions(batchSize: batchSize, prefetchDepth: data.prefetch).batchPoolBytes(sampleSize: sampleSize)
            let (sum, overflow) = total.addingReportingOverflow(bytes)
            total = overflow ? .max : sum
        }
        let what = "the batch pool\(batchSizes.count > 1 ? "s of \(batchSizes.count) loaders" : "") "
            + "(prefetch \(data.prefetch) + 1 buffers of batch_size \(data.batchSize) × "
            + "\(data.height)×\(data.width)×\(data.imageColorMode.channels) floats)"
        try MemoryLimit.current.check(total, for: what, key: dominantKey(data))
    }

    /// The activations of one training step of `model`, after it is built and before `fit` runs.
    static func checkActivations(_ model: Model, data: DataSection) throws(MemoryLimitError) {
        let bytes = model.trainingActivationBytes(batchSize: data.batchSize)
        try MemoryLimit.current.check(bytes, for: "the activations of a training step (batch_size \(data.batchSize) "
                                          + "through \(model.layers.count) layers from input \(model.inputShape))",
                                      key: "data.batch_size")
    }

    /// Of the keys that scale the pool, the one furthest above its default; `data.batch_size`
    /// unless another is further above its default than it.
    static func dominantKey(_ data: DataSection) -> String {
        let batch = Double(data.batchSize) / 32
        let others: [(key: String, ratio: Double)] = [
            ("data.target_size", Double(data.height) * Double(data.width) / (256 * 256)),
            ("data.prefetch", Double(data.prefetch + 1) / 3),
        ]
        let top = others.max { $0.ratio < $1.ratio }!
        return top.ratio > max(batch, 1) ? top.key : "data.batch_size"
    }
}
