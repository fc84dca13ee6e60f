import CPUBudget
import DataPipeline
import Training

/// Builds the pipeline file's model for the data's input shape, and checks
/// that its output fits the labels and its activations the memory limit
/// before any training starts.
enum ModelFactory {
    /// `base` layers (frozen, already built) come first, then the section's layers.
    static func build(_ section: ModelSection, base: [any Layer] = [], inputShape: [Int], seed: UInt64,
                      data: PipelineData, pipeline: PipelineFile) throws -> Model {
        let model: Model
        do {
            model = try section.makeModel(inputShape: inputShape, seed: seed, base: base)
        } catch let error as TrainingError {
            throw WorkflowError("the model does not fit the data (input \(inputShape)): \(error)")
        } catch let error as LayerSpecError {
            throw WorkflowError("model.layers: \(error)")
        } catch let error as MemoryLimitError {
            throw error.in(pipeline, key: "model.layers")
        }
        try MemoryPlan.checkActivations(model, pipeline: pipeline)
        let classes = data.classNames.count
        let expected: Int? = switch pipeline.data.targetClassMode {
        case .categorical: classes
        case .binary, .sparse: pipeline.training?.loss == "sparse_categorical_crossentropy" ? classes : 1
        default: nil
        }
        if let expected, model.outputShape.last != expected {
            let last = model.layers.last?.name ?? "?"
            throw WorkflowError("the last layer '\(last)' outputs \(model.outputShape) but class_mode "
                                + "'\(pipeline.data.classMode)' with \(classes) classes needs \(expected) values per sample")
        }
        return model
    }
}
