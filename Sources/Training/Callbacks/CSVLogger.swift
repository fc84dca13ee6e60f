import Foundation

/// Writes one CSV row per epoch: `epoch` then the log keys in sorted order,
/// as Keras's `CSVLogger`. The file is rewritten at each epoch end, so it is
/// complete even if training is interrupted. With `append`, a second `fit`
/// (fine-tuning) adds its rows after the first one's, as Keras's `append=True`.
public final class CSVLogger: Callback {
    public let path: String
    public let separator: String
    public let append: Bool
    var keys: [String] = []
    var rows: [String] = []
    /// False on the processes or replicas of a data-parallel run other than the first: they
    /// keep the rows (their checkpoints hold the same pieces as the first's) but leave the
    /// file to the first.
    public var writesFiles = true

    /// Writes to `path`; without `append`, each `fit` starts the file afresh.
    public init(path: String, separator: String = ",", append: Bool = false) {
        self.path = path
        self.separator = separator
        self.append = append
    }

    public func trainBegan(context: TrainingContext) throws {
        if !append { keys = []; rows = [] }
    }

    public func epochEnded(_ epoch: Int, logs: Logs, context: TrainingContext) throws {
        if keys.isEmpty { keys = logs.keys.sorted() }
        let values = keys.map { logs[$0].map { String($0) } ?? "" }
        rows.append(([String(epoch)] + values).joined(separator: separator))
        guard writesFiles else { return }
        let text = ((["epoch"] + keys).joined(separator: separator) + "\n") + rows.map { $0 + "\n" }.joined()
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw TrainingError.invalidArgument(parameter: "path", value: path, reason: "cannot write the CSV log: \(error.localizedDescription)")
        }
    }
}

/// The CSV log's piece of a checkpoint: its columns and rows so far (the next
/// epoch end rewrites the file with them).
extension CSVLogger: Checkpointable {
    private struct Values: Codable { var keys: [String], rows: [String] }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: Values(keys: keys, rows: rows))
    }

    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        let values = try state.values(Values.self)
        keys = values.keys; rows = values.rows
    }
}
