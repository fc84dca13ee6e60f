import Augmentation
import DataPipeline
import Foundation
import Imaging
import KerasFiles
import Training

/// What `augment predict` runs: a model and how images reach it.
public protocol ImagePredictor {
    /// The model.
    var model: Model { get }
    /// Names of the outputs, when known.
    var classNames: [String]? { get }
    /// Outputs for every image of `inputs` (files, or folders searched
    /// recursively), in sorted path order, `batchSize` images at a time.
    func predict(_ inputs: [String], batchSize: Int) throws -> [Prediction]
}

/// A whole Keras model file (`.keras`, or a legacy full-model `.h5`), ready
/// to predict: images are decoded, converted to the model's channels
/// (1 grayscale, 3 RGB, 4 RGBA) and resized to its input size (bilinear; no
/// resize when the size matches) as Float values 0–255. Nothing else: a
/// Keras model carries its own preprocessing layers.
///
/// ```swift
/// let predictor = try KerasModelPredictor(path: "classifier.keras")
/// let predictions = try predictor.predict(["photos/"], batchSize: 32)
/// ```
public struct KerasModelPredictor: ImagePredictor {
    public let model: Model
    /// Keras model files carry no class names: outputs are shown by index.
    public var classNames: [String]? { nil }
    private let colorMode: ColorMode

    /// Whether `path` names a Keras model file rather than a pipeline file.
    public static func handles(_ path: String) -> Bool {
        [".keras", ".h5", ".hdf5"].contains { path.lowercased().hasSuffix($0) }
    }

    /// Loads the model in `path`; `weights` (safetensors or Keras weights) replace its own.
    public init(path: String, weights: String? = nil) throws {
        model = try KerasModelFile.load(path)
        if let weights { try model.loadAnyWeights(from: weights) }
        guard model.inputShapes.count == 1, model.inputShape.count == 3 else {
            throw WorkflowError("\(path): augment predict takes a model of one image input (height, width, channels); this one takes \(model.inputShapes)")
        }
        guard let mode = [1: ColorMode.grayscale, 3: .rgb, 4: .rgba][model.inputShape[2]] else {
            throw WorkflowError("\(path): the model takes \(model.inputShape[2]) channels; images have 1, 3 or 4")
        }
        colorMode = mode
    }

    public func predict(_ inputs: [String], batchSize: Int) throws -> [Prediction] {
        try ImagePrediction.run(model, on: inputs, batchSize: batchSize) { source in
            try ImageFileRenderer(source: source, config: AugmentationConfig(), height: model.inputShape[0],
                                  width: model.inputShape[1], colorMode: colorMode, seed: 0)
        }
    }
}
