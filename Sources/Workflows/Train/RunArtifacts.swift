import DataPipeline
import Foundation
import Imaging
import Training
import Yams

/// The picture and text files a training run leaves beside its weights.
struct RunArtifacts {
    let outputDirectory: String

    /// Writes `training_curves.png`, `pipeline.resolved.yaml` and
    /// `augmented_samples.png`; returns their names. `comment` heads the YAML as a `#` line.
    func write(history: History, pipeline: PipelineFile, comment: String, sampleFiles: [String]) throws -> [String] {
        try curves(history).write(to: outputDirectory + "/training_curves.png", as: .png())
        let yaml = "# \(comment)\n" + (try YAMLEncoder().encode(pipeline))
        try yaml.write(toFile: outputDirectory + "/pipeline.resolved.yaml", atomically: true, encoding: .utf8)
        let preview = Preview(pipeline: pipeline, options: PreviewOptions(
            count: 6, outputDirectory: outputDirectory + "/augmented_samples"))
        let report = try preview.run(inputs: sampleFiles)
        // A run folder used before keeps its files until this run's replace them.
        let sheet = outputDirectory + "/augmented_samples.png"
        if FileManager.default.fileExists(atPath: sheet) { try FileManager.default.removeItem(atPath: sheet) }
        try FileManager.default.moveItem(atPath: report.contactSheet, toPath: sheet)
        return ["training_curves.png", "pipeline.resolved.yaml", "augmented_samples.png", "augmented_samples/"]
    }

    /// Loss and accuracy per epoch, training and validation, side by side.
    func curves(_ history: History) -> Image {
        func chart(_ title: String, _ key: String) -> Image {
            var series = [LineChart.Series(name: key, values: history[key], color: .blue)]
            if !history["val_" + key].isEmpty {
                series.append(.init(name: "val_" + key, values: history["val_" + key], color: .orange))
            }
            return LineChart(title: title, series: series).render()
        }
        let loss = chart("loss", "loss"), accuracy = chart("accuracy", "accuracy")
        var canvas = Canvas(width: loss.width + accuracy.width, height: max(loss.height, accuracy.height))
        canvas.draw(loss, x: 0, y: 0)
        canvas.draw(accuracy, x: loss.width, y: 0)
        return canvas.image
    }

    /// The first file of each class, up to `limit` files.
    static func firstOfEachClass(_ folder: ImageFolder, limit: Int) -> [String] {
        var seen = Set<Int>(), paths: [String] = []
        for index in 0..<folder.count where paths.count < limit && !seen.contains(folder.classes[index]) {
            seen.insert(folder.classes[index])
            paths.append(folder.path(of: index))
        }
        return paths
    }
}
