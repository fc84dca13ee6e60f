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
        do {
            try MemoryLimit.current.check(total, for: what, key: dominantKey(data))
        } catch {
            throw error.in(pipeline)
        }
    }

    /// The activations of one training step of `model`, after it is built and before `fit` runs.
    static func checkActivations(_ model: Model, pipeline: PipelineFile) throws(MemoryLimitError) {
        let batchSize = pipeline.data.batchSize
        do {
            try MemoryLimit.current.check(model.trainingActivationBytes(batchSize: batchSize),
                                          for: "the activations of a training step (batch_size \(batchSize) "
                                              + "through \(model.layers.count) layers from input \(model.inputShape))",
                                          key: "data.batch_size")
        } catch {
            throw error.in(pipeline)
        }
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

extension MemoryLimitError {
    /// This error naming `pipeline`'s file, and `key` when given.
    func `in`(_ pipeline: PipelineFile, key: String? = nil) -> MemoryLimitError {
        var error = self
        error.file = pipeline.sourcePath
        if let key { error.key = key }
        return error
    }
}
