import ArgumentParser
import Foundation
import Workflows

/// `augment predict MODEL INPUT...`: a Keras model file's or a pipeline file's model on images.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run a Keras model file's or a pipeline file's model on images and print the top classes (or every output).",
        discussion: """
            MODEL is a Keras model file (.keras, or a legacy full-model .h5) or a pipeline file (YAML). \
            Each INPUT is an image or a folder (searched recursively). For a Keras model, images are \
            converted to its channels and resized to its input size (bilinear) as values 0-255: the model \
            carries its own preprocessing layers. For a pipeline file, images are resized to \
            data.target_size and go through rescale and preprocessing_function, no random transform. \
            Weights: --weights (safetensors or a Keras .h5/.weights.h5) or, for a pipeline file, the best \
            weights of a run folder (--run). --raw --json prints {"predictions": [{"path": ..., "outputs": [...]}]} \
            with every value at full Float32 precision, in sorted path order.
            Examples: augment predict classifier.keras photos/ --top 3
                      augment predict pipelines/mobilenet-transfer.yaml samples/photos --run runs/mobilenet-transfer
            """)

    @Argument(help: "A Keras model file (.keras, .h5) or a pipeline file (YAML).")
    var model: String

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
        guard runFolder == nil || !KerasModelPredictor.handles(model) else {
            throw ValidationError("--run takes a pipeline file's run folder; a Keras model file has its weights (or give --weights)")
        }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard !inputs.isEmpty else { throw ValidationError("give at least one image or folder") }
    }

    func run() throws {
        let predictor: any ImagePredictor = if KerasModelPredictor.handles(model) {
            try KerasModelPredictor(path: model, weights: weights)
        } else {
            try PipelinePredictor(pipeline: try PipelineFileLoader.load(path: model),
                                  weights: weights ?? runFolder.map { $0 + "/best.safetensors" })
        }
        let predictions = try predictor.predict(inputs, batchSize: batch)
        print(PredictionReport(predictions: predictions, classNames: predictor.classNames, top: top)
            .text(raw: raw, json: json))
    }
}
