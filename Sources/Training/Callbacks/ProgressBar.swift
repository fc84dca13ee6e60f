import Foundation

/// Keras-style progress reporting:
///
/// ```text
/// Epoch 1/10
///  64/469 [===>..........................] - ETA: 3s - loss: 0.6412 - accuracy: 0.8021
/// 469/469 [==============================] - 4s 9ms/step - loss: 0.3012 - accuracy: 0.9102 - val_loss: 0.1345 - val_accuracy: 0.9611
/// ```
///
/// `.progressBar` redraws the bar (carriage return) at most every 0.1 s when
/// the output is a terminal (`ProgressOutput.isTerminal`); into a pipe, a file
/// or a CI log it prints one line per epoch instead, as Keras's non-interactive
/// mode does. `.epochLines` always prints only
/// `469/469 - 4s - 9ms/step - loss: ...` per epoch.
public final class ProgressBar: Callback {
    public let verbosity: Verbosity
    private let output: ProgressOutput
    private let width = 30
    private var epochs = 0
    private var total: Int?
    private var seen = 0
    private var epochStart = Date()
    private var lastDraw = Date.distantPast
    private var stepNames: [String] = []

    /// Reports at `verbosity` into `output` (standard output by default).
    public init(verbosity: Verbosity = .progressBar, output: ProgressOutput = .standardOutput) {
        self.verbosity = verbosity
        self.output = output
    }

    /// Sets the epoch count and the (possibly unknown) batches per epoch.
    func configure(epochs: Int, batchesPerEpoch: Int?, metricNames: [String]) {
        self.epochs = epochs
        total = batchesPerEpoch
        stepNames = ["loss"] + metricNames
    }

    public func epochBegan(_ epoch: Int, context: TrainingContext) throws {
        seen = 0
        epochStart = Date()
        lastDraw = .distantPast
        if verbosity != .silent { output.write("Epoch \(epoch + 1)/\(epochs)\n") }
    }

    /// Whether the bar is redrawn in place: a progress bar into a terminal.
    private var redraws: Bool { verbosity == .progressBar && output.isTerminal }

    public func batchEnded(_ batch: Int, logs: Logs, context: TrainingContext) throws {
        seen = batch + 1
        guard redraws else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(epochStart)
        var line = "\r" + counter() + " " + bar()
        if let total, seen < total {
            line += " - ETA: " + ProgressBar.duration(elapsed / Double(seen) * Double(total - seen))
        } else {
            line += " - " + ProgressBar.duration(elapsed)
        }
        line += ProgressBar.format(logs, keys: stepNames)
        output.write(line)
    }

    public func epochEnded(_ epoch: Int, logs: Logs, context: TrainingContext) throws {
        if total == nil { total = seen }
        guard verbosity != .silent else { return }
        let elapsed = Date().timeIntervalSince(epochStart)
        let perStep = ProgressBar.perStep(elapsed / Double(max(seen, 1)))
        let keys = stepNames + logs.keys.filter { $0.hasPrefix("val_") }.sorted()
        if redraws {
            output.write("\r" + counter() + " " + bar() + " - " + ProgressBar.duration(elapsed) + " " + perStep
                         + ProgressBar.format(logs, keys: keys) + "\n")
        } else {
            output.write(counter() + " - " + ProgressBar.duration(elapsed) + " - " + perStep
                         + ProgressBar.format(logs, keys: keys) + "\n")
        }
    }

    private func counter() -> String {
        guard let total else { return "\(seen)/Unknown" }
        let digits = String(total).count
        return String(repeating: " ", count: max(digits - String(seen).count, 0)) + "\(seen)/\(total)"
    }

    private func bar() -> String {
        guard let total, total > 0 else { return "" }
        let filled = Int(Double(width) * Double(min(seen, total)) / Double(total))
        var text = "["
        if filled > 0 { text += String(repeating: "=", count: filled - 1) + (seen < total ? ">" : "=") }
        return text + String(repeating: ".", count: width - filled) + "]"
    }

    static func format(_ logs: Logs, keys: [String]) -> String {
        keys.compactMap { key in
            logs[key].map { value in
                " - \(key): " + (abs(value) > 1e-3 || value == 0 ? String(format: "%.4f", value) : String(format: "%.4e", value))
            }
        }.joined()
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60) }
        if s >= 60 { return String(format: "%d:%02d", s / 60, s % 60) }
        return "\(s)s"
    }

    static func perStep(_ seconds: Double) -> String {
        if seconds >= 1 { return String(format: "%.0fs/step", seconds) }
        if seconds >= 1e-3 { return String(format: "%.0fms/step", seconds * 1e3) }
        return String(format: "%.0fus/step", seconds * 1e6)
    }
}
