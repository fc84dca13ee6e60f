import Training

/// `training.backup`: how `augment train` checkpoints the run into
/// `RUN/backup` (Keras's `BackupAndRestore` options), so that
/// `augment train --resume` can continue a killed run. Present or not, every
/// run checkpoints; the defaults are Keras's.
///
/// ```yaml
/// training:
///   backup: {save_freq: 50, delete_checkpoint: false}   # or save_freq: epoch
/// ```
public struct BackupSpec: Codable, Sendable, Equatable {
    /// `epoch`, or every N optimisation steps (mid-epoch included).
    public var saveFrequency: BackupAndRestore.SaveFrequency = .epoch
    /// Remove the checkpoint once the run has finished.
    public var deleteCheckpoint = true

    enum CodingKeys: String, CodingKey, CaseIterable {
        case saveFrequency = "save_freq", deleteCheckpoint = "delete_checkpoint"
    }

    /// Keras's defaults: every epoch, deleted at the end.
    public init() {}

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let steps = try? c.decodeIfPresent(Int.self, forKey: .saveFrequency) {
            try c.check(steps >= 1, .saveFrequency, "must be 'epoch' or a number of batches ≥ 1, got \(steps)")
            saveFrequency = .batches(steps)
        } else {
            _ = try c.word(.saveFrequency, in: ["epoch"], default: "epoch")
        }
        deleteCheckpoint = try c.value(.deleteCheckpoint, default: deleteCheckpoint)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch saveFrequency {
        case .epoch: try c.encode("epoch", forKey: .saveFrequency)
        case let .batches(steps): try c.encode(steps, forKey: .saveFrequency)
        }
        try c.encode(deleteCheckpoint, forKey: .deleteCheckpoint)
    }

    /// The callback writing `directory/checkpoint.safetensors`, keeping `metadata` in each checkpoint;
    /// `keepingCheckpoint` keeps it at the end of `fit` whatever `delete_checkpoint` says (a
    /// phase that another follows: the run deletes it when it ends).
    public func makeCallback(directory: String, metadata: [String: String],
                             keepingCheckpoint: Bool = false) throws -> BackupAndRestore {
        try BackupAndRestore(backupDirectory: directory, saveFrequency: saveFrequency,
                             deleteCheckpoint: deleteCheckpoint && !keepingCheckpoint, metadata: metadata)
    }
}
