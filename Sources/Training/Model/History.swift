import Foundation

/// What `fit` returns: the epochs run and each metric per epoch, as
/// Keras's `History`.
public struct History: Sendable, Equatable, Codable {
    /// 0-based indices of the epochs that ran.
    public internal(set) var epochs: [Int] = []
    /// Values per log key (`loss`, `val_accuracy`, `learning_rate`...), one per epoch.
    public internal(set) var metrics: [String: [Double]] = [:]

    /// An empty history.
    public init() {}

    mutating func record(epoch: Int, logs: Logs) {
        epochs.append(epoch)
        for (key, value) in logs { metrics[key, default: []].append(value) }
    }

    /// Adds the epochs of a later `fit` (fine-tuning after feature extraction).
    public mutating func append(_ later: History) {
        epochs += later.epochs
        for (key, values) in later.metrics { metrics[key, default: []] += values }
    }

    /// The values of one metric, or an empty array.
    public subscript(metric: String) -> [Double] { metrics[metric] ?? [] }
}

/// How much `fit` prints, as Keras's `verbose` 0 / 1 / 2.
public enum Verbosity: Sendable {
    case silent
    /// A live progress bar per epoch.
    case progressBar
    /// One line per epoch, for logs.
    case epochLines
}

/// Where progress text goes: standard output by default, or any closure.
public struct ProgressOutput {
    public let write: (String) -> Void
    /// Whether the text reaches a terminal: only there does `.progressBar` redraw its bar in
    /// place; elsewhere (a pipe, a file, a CI log) it prints one line per epoch, as Keras does.
    public let isTerminal: Bool

    /// Sends progress text to `write`, a terminal or not.
    public init(isTerminal: Bool = false, _ write: @escaping (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Writes to standard output without buffering delays; a terminal when `isatty` says so.
    public static var standardOutput: ProgressOutput {
        ProgressOutput(isTerminal: isatty(STDOUT_FILENO) != 0) { text in print(text, terminator: ""); fflush(nil) }
    }
}
