/// Why a Keras model file (`.keras` archive or legacy full-model `.h5`)
/// cannot be loaded or a model cannot be saved as one. Each case names the
/// file and, where there is one, the layer.
public enum KerasModelError: Error, Equatable, CustomStringConvertible {
    /// The model uses a layer class Augment does not have.
    case unsupportedLayer(file: String, layer: String, className: String)
    /// A layer's argument has a value Augment cannot honour (or cannot write).
    case unsupportedArgument(file: String, layer: String, argument: String, value: String)
    /// The file is not a Keras model file, or its configuration is malformed.
    case invalidModel(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unsupportedLayer(file, layer, className):
            "\(file): layer '\(layer)' is a \(className), which Augment does not support"
        case let .unsupportedArgument(file, layer, argument, value):
            "\(file): layer '\(layer)': argument \(argument) = \(value) is not supported"
        case let .invalidModel(file, reason):
            "\(file): not a Keras model Augment can read: \(reason)"
        }
    }
}
