import ArgumentParser
import Foundation
import Workflows

/// `augment predict PIPELINE INPUT...`: the pipeline file's model on images.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run a pipeline file's model on images and print the top classes (or every output).",
        discussion: """
            Each INPUT is an image or a folder (searched recursively); images are resized to \
            data.target_size and go through rescale and preprocessing_function, no random transform. \
            Weights: --weights (safetensors or a Keras .h5/.weights.h5) or the best weights of a run \
            folder (--run). --raw --json prints {"predictions": [{"path": ..., "outputs": [...]}]} \
            with every value at full Float32 precision, in sorted path order.
            Example: augment predict pipelines/mobilenet-transfer.yaml samples/photos --run runs/mobilenet-transfer
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Argument(help: "Images or folders.")
    var inputs: [String]

    @Option(help: "Weights file: .safetensors, or a Keras .h5 / .weights.h5.")
    var weights: String?

    @Option(name: .customLong("run"), help: "Run folder whose best.safetensors to use.")
    var runFolder: String?

    @Option(help: "Classes shown per image.")
    var top = 5

    @Flag(help: "Every output value instead of the top classes.")
    var raw = false

    @Flag(help: "JSON output.")
    var json = false

    @Option(help: "Images per forward pass.")
    var batch = 32

    func validate() throws {
        guard weights == nil || runFolder == nil else { throw ValidationError("give --weights or --run, not both") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard !inputs.isEmpty else { throw ValidationError("give at least one image or folder") }
    }

    func run() throws {
        let file = try PipelineFileLoader.load(path: pipeline)
        let predictor = try PipelinePredictor(pipeline: file, weights: weights ?? runFolder.map { $0 + "/best.safetensors" })
        let predictions = try predictor.predict(inputs, batchSize: batch)
        print(PredictionReport(predictions: predictions, classNames: predictor.classNames, top: top)
            .text(raw: raw, json: json))
    }
}
