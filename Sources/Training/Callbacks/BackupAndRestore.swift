import Foundation

/// Backs the whole run up to a checkpoint and, when one exists at the start,
/// continues from it, as Keras's `BackupAndRestore` (`backup_dir`,
/// `save_freq`, `delete_checkpoint`).
///
/// The checkpoint (`backupDirectory/checkpoint.safetensors`, see
/// ``Checkpointable``) holds the weights, the optimiser's moments, step count
/// and learning rate, every checkpointable callback's state, `fit`'s
/// position (epoch, batch, samples) with the epoch's running totals, and
/// the history. It is replaced atomically (temporary file in the same
/// folder, `fsync`, rename, `fsync` of the folder): a kill at any instant
/// leaves the previous checkpoint whole. A run resumed from it, with the
/// same data, model, callbacks and thread count, ends with the same weights
/// and history bit for bit, since every random draw is keyed by (seed,
/// epoch, sample) and the loader starts at the checkpoint's batch.
///
/// Only the process the trainer names as the writer (rank 0 of a data-parallel
/// run) writes; every process restores. A ``TrainingContext/interrupt()``
/// (a signal) writes a checkpoint at once, whatever the frequency.
///
/// ```swift
/// let backup = try BackupAndRestore(backupDirectory: "runs/digits/backup", saveFrequency: .batches(50))
/// try model.fit(loader, epochs: 20, callbacks: [backup])   // run it again after a kill: it continues
/// ```
public final class BackupAndRestore: Callback {
    /// When checkpoints are written, as Keras's `save_freq`.
    public enum SaveFrequency: Sendable, Equatable {
        /// At the end of every epoch (`"epoch"`).
        case epoch
        /// After every `n` optimisation steps (an integer `save_freq`), mid-epoch included.
        case batches(Int)
    }

    public let backupDirectory: String
    public let saveFrequency: SaveFrequency
    /// Remove the checkpoint when training ends normally (not when it is interrupted or fails).
    public let deleteCheckpoint: Bool
    /// Strings stored in every checkpoint, for a caller to compare before resuming
    /// (``storedCheckpoint(in:)``); `augment train` keeps its pipeline file there.
    public let metadata: [String: String]
    /// Runs between the temporary file's flush and its rename: a seam for tests
    /// that kill the process in the middle of a checkpoint write.
    public var beforeRename: (() -> Void)?
    /// The epoch and batch the run continued from, when it found a checkpoint.
    public private(set) var resumedAt: (epoch: Int, batch: Int)?

    /// Keras's arguments; throws on an empty folder or a frequency below 1.
    public init(backupDirectory: String, saveFrequency: SaveFrequency = .epoch, deleteCheckpoint: Bool = true,
                metadata: [String: String] = [:]) throws {
        try require(!backupDirectory.isEmpty, "backupDirectory", backupDirectory, "must name a folder")
        if case let .batches(count) = saveFrequency { try require(count >= 1, "saveFrequency", count, "must be at least 1 batch") }
        self.backupDirectory = backupDirectory
        self.saveFrequency = saveFrequency
        self.deleteCheckpoint = deleteCheckpoint
        self.metadata = metadata
    }

    /// The checkpoint file.
    public var checkpointPath: String { Self.checkpointPath(in: backupDirectory) }

    /// The checkpoint file of a backup folder.
    public static func checkpointPath(in directory: String) -> String { directory + "/checkpoint.safetensors" }

    /// What a checkpoint says about itself before it is restored.
    public struct StoredCheckpoint: Sendable {
        /// The ``metadata`` it was written with.
        public var metadata: [String: String]
        /// The epoch (0-based) it continues and the batches of it already done.
        public var epoch: Int
        public var batch: Int
    }

    /// The checkpoint in `directory`, or nil when there is none.
    /// - Throws: ``TrainingError/weightsFile(path:reason:)`` for an unreadable checkpoint.
    public static func storedCheckpoint(in directory: String) throws -> StoredCheckpoint? {
        let path = checkpointPath(in: directory)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let checkpoint = try RunCheckpoint(contentsOf: path)
        guard let fit = checkpoint.pieces["fit"] else { throw CheckpointState.missing("the piece 'fit'") }
        let position = try FitProgress.position(in: fit)
        return StoredCheckpoint(metadata: checkpoint.metadata, epoch: position.epoch, batch: position.batch)
    }

    public func trainBegan(context: TrainingContext) throws {
        resumedAt = nil
        if context.model.trainer?.isCheckpointWriter ?? true { AtomicFile.removeLeftovers(of: checkpointPath) }
        guard FileManager.default.fileExists(atPath: checkpointPath) else { return }
        let checkpoint = try RunCheckpoint(contentsOf: checkpointPath)
        context.resume(from: checkpoint)
        resumedAt = try checkpoint.pieces["fit"].map { try FitProgress.position(in: $0) }
    }

    /// Writes the checkpoint when it is due. In a data-parallel run every process
    /// comes here at the same batch and hands its running totals to rank 0
    /// (collective), which writes.
    public func stateSettled(context: TrainingContext) throws {
        let atEpochEnd = context.progress.batch == 0
        let due: Bool = switch saveFrequency {
        case .epoch: atEpochEnd
        case let .batches(count): !atEpochEnd && (context.model.trainer?.step ?? 0) % count == 0
        }
        guard due || context.interrupted, let trainer = context.model.trainer else { return }
        try context.progress.withGatheredTotals(over: trainer.reducer) {
            if trainer.isCheckpointWriter { try write(context: context) }
        }
    }

    public func trainEnded(context: TrainingContext) throws {
        guard deleteCheckpoint, context.model.trainer?.isCheckpointWriter ?? true,
              FileManager.default.fileExists(atPath: checkpointPath) else { return }
        try FileManager.default.removeItem(atPath: checkpointPath)
        rmdir(backupDirectory)  // only when nothing else is in it
    }

    private func write(context: TrainingContext) throws {
        do {
            try FileManager.default.createDirectory(atPath: backupDirectory, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.weightsFile(path: backupDirectory, reason: "cannot create the backup folder: \(error.localizedDescription)")
        }
        let data = try RunCheckpoint(capturing: context, metadata: metadata).encoded()
        try AtomicFile.write(data, to: checkpointPath, beforeRename: beforeRename)
    }
}
