import Foundation

/// Writes one CSV row per epoch: `epoch` then the log keys in sorted order,
/// as Keras's `CSVLogger`. The file is rewritten at each epoch end, so it is
/// complete even if training is interrupted.
public final class CSVLogger: Callback {
    public let path: String
    public let separator: String
    private var keys: [String] = []
    private var rows: [String] = []

    /// Writes to `path`, replacing any existing file when training begins.
    public init(path: String, separator: String = ",") {
        self.path = path
        self.separator = separator
    }

    public func trainBegan(model: Sequential) throws { keys = []; rows = [] }

    public func epochEnded(_ epoch: Int, logs: Logs, model: Sequential) throws {
        if keys.isEmpty { keys = logs.keys.sorted() }
        let values = keys.map { logs[$0].map { String($0) } ?? "" }
        rows.append(([String(epoch)] + values).joined(separator: separator))
        let text = ((["epoch"] + keys).joined(separator: separator) + "\n") + rows.map { $0 + "\n" }.joined()
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw TrainingError.invalidArgument(parameter: "path", value: path, reason: "cannot write the CSV log: \(error.localizedDescription)")
        }
    }
}
