import ArgumentParser
import Foundation
import Workflows

/// `augment train PIPELINE`: trains the pipeline file's model and writes a run folder.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the pipeline file's model on its data and evaluate it on its test folder.",
        discussion: """
            Writes history.csv, training_curves.png, best.safetensors, pipeline.resolved.yaml and \
            augmented_samples.png into the run folder.
            Example: augment train pipelines/digits-cnn.yaml --out runs/digits
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(name: .customLong("out"), help: "Run folder (default: runs/<pipeline name>).")
    var outputDirectory: String?

    func run() throws {
        let file = try PipelineFileLoader.load(path: pipeline)
        let name = URL(fileURLWithPath: pipeline).deletingPathExtension().lastPathComponent
        let folder = outputDirectory ?? "runs/\(name)"
        let report = try TrainingRun(pipeline: file, outputDirectory: folder).run()
        print("Wrote \(report.artifacts.map { folder + "/" + $0 }.joined(separator: ", "))")
        print(String(format: "Wall time: %.1f s", report.wallSeconds))
    }
}
