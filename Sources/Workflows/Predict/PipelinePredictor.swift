import Augmentation
import DataPipeline
import Foundation
import Imaging
import KerasFiles
import Training

/// One image's model outputs, for `augment predict`.
public struct Prediction: Sendable {
    /// The image file.
    public let path: String
    /// Every output value of the model for it.
    public let outputs: [Float]
}

/// A pipeline file's model, ready to predict: built for the file's
/// `data.target_size` and `color_mode` (no data folder needed), its base
/// and head, the weights given; images go through what validation images
/// go through (resize, `rescale`, `preprocessing_function`), no random transform.
///
/// ```swift
/// let predictor = try PipelinePredictor(pipeline: file, weights: "runs/x/best.safetensors")
/// let predictions = try predictor.predict(["photos/"], batchSize: 32)
/// ```
public struct PipelinePredictor: ImagePredictor {
    public let model: Model
    /// Class names, from `data.classes` or the data folder's subfolders; nil when neither is known.
    public let classNames: [String]?
    private let pipeline: PipelineFile

    /// Builds the model and loads `weights` (safetensors, or a Keras `.h5`/`.weights.h5`).
    /// A base trained by another pipeline needs its `weights` in the file (predict trains nothing).
    public init(pipeline: PipelineFile, weights: String?) throws {
        guard let section = pipeline.model else { throw WorkflowError("augment predict needs a 'model' section") }
        let data = pipeline.data
        let inputShape = [data.height, data.width, data.imageColorMode.channels]
        let seed = section.seed ?? data.seed
        var base = [any Layer]()
        if let baseSection = pipeline.base {
            guard baseSection.application != nil || baseSection.weights != nil else {
                throw WorkflowError("base.pipeline without base.weights: augment predict trains nothing, give the base's weights")
            }
            base = try BaseModel.layers(baseSection, inputShape: inputShape, seed: seed, outputDirectory: "",
                                        output: ProgressOutput { _ in }, reducer: LocalGradientReducer())
        }
        do {
            model = try section.makeModel(inputShape: inputShape, seed: seed, base: base)
        } catch let error as LayerSpecError {
            throw WorkflowError("model.layers: \(error)")
        }
        if let weights { try model.loadAnyWeights(from: weights) }
        classNames = data.classes ?? data.directory.flatMap { directory in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory))?
                .filter { isDirectory(directory + "/" + $0) }.sorted()
            return names?.isEmpty == false ? names : nil
        }
        self.pipeline = pipeline
    }

    /// Outputs for every image of `inputs` (files, or folders searched
    /// recursively), in sorted path order, `batchSize` images at a time.
    public func predict(_ inputs: [String], batchSize: Int) throws -> [Prediction] {
        let data = pipeline.data
        return try ImagePrediction.run(model, on: inputs, batchSize: batchSize) { source in
            try ImageFileRenderer(
                source: source, config: pipeline.augmentation.config.withoutRandomTransforms, height: data.height,
                width: data.width, colorMode: data.imageColorMode, seed: data.seed, mode: pipeline.augmentation.geometry)
        }
    }
}

/// The loop `augment predict` runs for any model: images rendered by a
/// renderer, batches through the model, every output per image (a model of
/// several outputs gives them one after the other).
enum ImagePrediction {
    static func run(_ model: Model, on inputs: [String], batchSize: Int,
                    renderer makeRenderer: (PredictionInputs) throws -> ImageFileRenderer) throws -> [Prediction] {
        let source = try PredictionInputs(inputs)
        let renderer = try makeRenderer(source)
        let width = renderer.sampleShape.reduce(1, *)
        var predictions = [Prediction]()
        for start in stride(from: 0, to: source.count, by: batchSize) {
            let indices = start..<min(start + batchSize, source.count)
            var values = [Float](repeating: 0, count: indices.count * width)
            try values.withUnsafeMutableBufferPointer { buffer in
                for (slot, index) in indices.enumerated() {
                    let sample = UnsafeMutableBufferPointer(rebasing: buffer[(slot * width)..<((slot + 1) * width)])
                    try renderer.render(sample: index, epoch: 0, into: sample)
                }
            }
            let outputs = try model.predict([Tensor(shape: [indices.count] + renderer.sampleShape, scalars: values)],
                                            batchSize: batchSize)
            for (slot, index) in indices.enumerated() {
                // Every output of the model, in order (one for most models).
                let values = outputs.flatMap { output in
                    let width = output.count / indices.count
                    return output.scalars((slot * width)..<((slot + 1) * width))
                }
                predictions.append(Prediction(path: source.path(of: index), outputs: values))
            }
        }
        return predictions
    }
}

/// The images of `augment predict`: each input a file, or a folder searched
/// recursively for the files ``ImageFileFilter`` accepts; sorted by path.
struct PredictionInputs: ImageFileSource {
    let paths: [String]
    var count: Int { paths.count }
    var classMode: ClassMode { .none }
    var targets: TargetTable { TargetTable(rowShape: [0], values: []) }
    var sampleWeights: [Float]? { nil }
    func path(of index: Int) -> String { paths[index] }

    init(_ inputs: [String]) throws {
        var paths = [String]()
        for input in inputs {
            if isDirectory(input) {
                let folder = try FileListSource(directory: input)
                paths += (0..<folder.count).map(folder.path(of:))
            } else if FileManager.default.fileExists(atPath: input) {
                paths.append(input)
            } else {
                throw WorkflowError("\(input): no such image or folder")
            }
        }
        guard !paths.isEmpty else { throw WorkflowError("no images in \(inputs.joined(separator: ", "))") }
        self.paths = paths.sorted()
    }
}

extension Model {
    /// Loads `path`: safetensors, or a Keras `.h5`/`.weights.h5`.
    func loadAnyWeights(from path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw WorkflowError("\(path): no such weights file") }
        if path.hasSuffix(".safetensors") {
            try loadWeights(from: path)
        } else {
            try loadKerasWeights(from: path)
        }
    }
}

/// Whether `path` is a folder.
func isDirectory(_ path: String) -> Bool {
    var folder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
}
