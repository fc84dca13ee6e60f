/// `training.distributed`: how the processes of `mpirun -np N augment train`
/// train together (one process ignores it).
///
/// ```yaml
/// training:
///   distributed: {sync_batch_norm: true, overlap: false, bucket_kib: 4096}
/// ```
public struct DistributedSpec: Codable, Sendable, Equatable {
    /// Batch normalisation with the global batch's statistics, summed over
    /// processes (PyTorch's `SyncBatchNorm`); default false: each process's own, as DDP.
    public var syncBatchNorm = false
    /// Start each gradient bucket's all-reduce during the backward pass, as
    /// soon as its layers are done (default false: all after the backward pass).
    public var overlap = false
    /// Gradient KiB per all-reduce bucket.
    public var bucketKiB = 4096

    enum CodingKeys: String, CodingKey, CaseIterable {
        case syncBatchNorm = "sync_batch_norm", overlap
        case bucketKiB = "bucket_kib"
    }

    /// Per-process batch statistics, buckets of 4 MiB started after the backward pass.
    public init() {}

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        syncBatchNorm = try c.value(.syncBatchNorm, default: syncBatchNorm)
        overlap = try c.value(.overlap, default: overlap)
        bucketKiB = try c.value(.bucketKiB, default: bucketKiB)
        try c.check(bucketKiB >= 1 && bucketKiB <= 1 << 20, .bucketKiB, "must lie in 1...1048576 (1 GiB), got \(bucketKiB)")
    }
}
