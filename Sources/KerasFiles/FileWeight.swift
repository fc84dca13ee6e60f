import Training

/// One weight read from a Keras file: its name there, its shape, its values.
struct FileWeight {
    let name: String
    let shape: [Int]
    let values: [Float]
}

/// Pairs of model parameters and file weights, checked in full before any
/// value is copied, so that a file that does not fit leaves the model as it was.
struct WeightAssignment {
    let file: String
    private(set) var pairs: [(parameter: Parameter, weight: FileWeight)] = []

    init(file: String) { self.file = file }

    /// Pairs `layer`'s parameters with `weights`, in order; throws naming the
    /// layer when the counts or a shape differ.
    mutating func assign(_ layer: any Layer, path: String, _ weights: [FileWeight]) throws {
        let parameters = (layer as? Model)?.parameters ?? layer.parameters
        guard parameters.count == weights.count else {
            throw TrainingError.weightsFile(
                path: file, reason: "layer '\(path)' has \(parameters.count) weights (\(parameters.map(\.name).joined(separator: ", "))) but the file gives it \(weights.count) (\(weights.map(\.name).joined(separator: ", ")))")
        }
        for (parameter, weight) in zip(parameters, weights) {
            guard parameter.shape == weight.shape else {
                throw TrainingError.weightsFile(
                    path: file, reason: "layer '\(path)': weight \(parameter.name) has shape \(parameter.shape) but the file's \(weight.name) has \(weight.shape)")
            }
            pairs.append((parameter, weight))
        }
    }

    /// Copies every paired value into its parameter.
    func apply() {
        for (parameter, weight) in pairs {
            parameter.assign(weight.values)
        }
    }
}
