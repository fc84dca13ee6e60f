import ArgumentParser
import CPUBudget
import Foundation
import Workflows

/// `augment evaluate PIPELINE [FOLDER] --run DIR | --weights FILE`: loss and metrics on a folder.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Loss and metrics of a pipeline file's trained model on its test folder or any folder.",
        discussion: """
            The model is the pipeline file's, with the best weights of a run folder (--run) or a weights \
            file (--weights: safetensors, or a Keras .h5 / .weights.h5). FOLDER (class sub-folders) \
            defaults to the file's test.directory. Images go through what validation images go through: \
            resize, rescale, preprocessing_function, no random transform.
            Example: augment evaluate pipelines/mobilenet-transfer.yaml --run runs/mobilenet-transfer
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Argument(help: "A folder of class sub-folders (default: the file's test.directory).")
    var folder: String?

    @Option(help: "Weights file: .safetensors, or a Keras .h5 / .weights.h5.")
    var weights: String?

    @Option(name: .customLong("run"), help: "Run folder whose best.safetensors to use.")
    var runFolder: String?

    @Option(help: "Loader workers: auto or a number.", transform: ThreadCount.option("--workers"))
    var workers: ThreadCount?

    func validate() throws {
        guard (weights == nil) != (runFolder == nil) else { throw ValidationError("give --weights or --run (one of them)") }
    }

    func run() throws {
        let file = try PipelineFileLoader.load(path: pipeline)
        let evaluation = PipelineEvaluation(pipeline: file, weights: weights ?? runFolder! + "/best.safetensors",
                                            directory: folder, threads: try file.threadPlan(workers: workers, trains: false))
        print(try evaluation.run().line)
    }
}
