import Foundation

/// How `augment predict` prints predictions: one line per image with its
/// top classes, or every output (`raw`), as text or JSON.
public struct PredictionReport {
    public let predictions: [Prediction]
    /// Names of the outputs; indices are shown when nil or of another length.
    public let classNames: [String]?
    public let top: Int

    public init(predictions: [Prediction], classNames: [String]?, top: Int) {
        self.predictions = predictions
        self.classNames = classNames
        self.top = top
    }

    /// The output text (no trailing newline).
    public func text(raw: Bool, json: Bool) -> String {
        switch (raw, json) {
        case (true, true):
            let items = predictions.map { "{\"path\": \(quoted($0.path)), \"outputs\": [\($0.outputs.map { "\($0)" }.joined(separator: ", "))]}" }
            return "{\"predictions\": [\(items.joined(separator: ", "))]}"
        case (true, false):
            return predictions.map { "\($0.path): \($0.outputs.map { "\($0)" }.joined(separator: " "))" }.joined(separator: "\n")
        case (false, true):
            let items = predictions.map { prediction in
                let best = ranked(prediction).map { "{\"class\": \(quoted($0.name)), \"score\": \($0.score)}" }
                return "{\"path\": \(quoted(prediction.path)), \"top\": [\(best.joined(separator: ", "))]}"
            }
            return "{\"predictions\": [\(items.joined(separator: ", "))]}"
        case (false, false):
            return predictions.map { prediction in
                "\(prediction.path): " + ranked(prediction).map { "\($0.name) \(String(format: "%.4f", $0.score))" }
                    .joined(separator: ", ")
            }.joined(separator: "\n")
        }
    }

    /// The `top` largest outputs with their class names (or indices), largest first.
    func ranked(_ prediction: Prediction) -> [(name: String, score: Float)] {
        let names = classNames?.count == prediction.outputs.count ? classNames! : prediction.outputs.indices.map(String.init)
        return prediction.outputs.enumerated().sorted { $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
            .prefix(top).map { (names[$0.offset], $0.element) }
    }

    private func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        return data.flatMap { String(data: $0, encoding: .utf8) }.map { String($0.dropFirst().dropLast()) } ?? "\"\""
    }
}
