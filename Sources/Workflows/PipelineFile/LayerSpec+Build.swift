import Tensors
import Training

/// A layer a pipeline file can name: the options it takes (besides `name`,
/// `trainable` and `inputs`) and how it is made. ``LayerKind/all`` is the one
/// registry of layer kinds: the parser, the builder and the error messages read it.
struct LayerKind: Sendable {
    let name: String
    let options: Set<String>
    let make: @Sendable (LayerSpec) throws -> any Layer

    /// Every kind, in the order error messages list them.
    static let all: [LayerKind] = [
        LayerKind(name: "conv2d", options: ["filters", "kernel_size", "strides", "padding", "activation", "alpha", "use_bias"]) {
            try Conv2D(filters: try $0.required($0.options.filters, "filters"),
                       kernelSize: try $0.required($0.options.kernelSize, "kernel_size").tuple,
                       strides: ($0.options.strides ?? IntPair(1, 1)).tuple,
                       padding: try $0.padding(), activation: try $0.activation(default: "linear"),
                       useBias: $0.options.useBias ?? true, name: $0.layerName)
        },
        LayerKind(name: "max_pooling2d", options: ["pool_size", "strides", "padding"]) {
            try MaxPooling2D(poolSize: ($0.options.poolSize ?? IntPair(2, 2)).tuple,
                             strides: $0.options.strides?.tuple, padding: try $0.padding(), name: $0.layerName)
        },
        LayerKind(name: "average_pooling2d", options: ["pool_size", "strides", "padding"]) {
            try AveragePooling2D(poolSize: ($0.options.poolSize ?? IntPair(2, 2)).tuple,
                                 strides: $0.options.strides?.tuple, padding: try $0.padding(), name: $0.layerName)
        },
        LayerKind(name: "global_average_pooling2d", options: []) { GlobalAveragePooling2D(name: $0.layerName) },
        LayerKind(name: "global_max_pooling2d", options: []) { GlobalMaxPooling2D(name: $0.layerName) },
        LayerKind(name: "flatten", options: []) { Flatten(name: $0.layerName) },
        LayerKind(name: "dense", options: ["units", "activation", "alpha", "use_bias"]) {
            try Dense(units: try $0.required($0.options.units, "units"), activation: try $0.activation(default: "linear"),
                      useBias: $0.options.useBias ?? true, name: $0.layerName)
        },
        LayerKind(name: "dropout", options: ["rate"]) {
            try Dropout(rate: try $0.required($0.options.rate, "rate"), name: $0.layerName)
        },
        LayerKind(name: "batch_normalization", options: ["momentum", "epsilon"]) {
            try BatchNormalization(momentum: $0.options.momentum ?? 0.99, epsilon: $0.options.epsilon ?? 1e-3, name: $0.layerName)
        },
        LayerKind(name: "activation", options: ["activation", "alpha"]) {
            try Activation(try $0.activation(default: nil), name: $0.layerName)
        },
        LayerKind(name: "add", options: []) { Add(name: $0.layerName) },
        LayerKind(name: "subtract", options: []) { Subtract(name: $0.layerName) },
        LayerKind(name: "multiply", options: []) { Multiply(name: $0.layerName) },
        LayerKind(name: "average", options: []) { Average(name: $0.layerName) },
        LayerKind(name: "maximum", options: []) { Maximum(name: $0.layerName) },
        LayerKind(name: "minimum", options: []) { Minimum(name: $0.layerName) },
        LayerKind(name: "concatenate", options: ["axis"]) {
            try Concatenate(axis: $0.options.axis ?? -1, name: $0.layerName)
        },
    ]

    /// The kind called `name` in pipeline files.
    static func named(_ name: String) -> LayerKind? { all.first { $0.name == name } }
    /// The names of every kind.
    static var names: [String] { all.map(\.name) }
}

extension LayerSpec {
    /// Builds the Training layer this entry describes.
    /// - Throws: ``LayerSpecError`` for an option the layer does not take, a
    ///   missing required option, or a value the layer rejects.
    public func makeLayer() throws -> any Layer {
        guard let kind = LayerKind.named(kind) else { throw LayerSpecError("unknown layer '\(self.kind)'") }
        let allowed = kind.options.union(["name", "trainable", "inputs"])
        if let stray = options.givenKeys.first(where: { !allowed.contains($0) }) {
            throw LayerSpecError("'\(self.kind)' takes no option '\(stray)'")
        }
        let layer = try kind.make(self)
        if let trainable = options.trainable { layer.trainable = trainable }
        return layer
    }

    var layerName: String { options.name ?? "" }

    func required<T>(_ value: T?, _ key: String) throws -> T {
        guard let value else { throw LayerSpecError("'\(kind)' needs '\(key)'") }
        return value
    }

    func padding() throws -> Padding {
        switch options.padding ?? "valid" {
        case "valid": return .valid
        case "same": return .same
        case let other: throw LayerSpecError("padding '\(other)' is not one of: valid, same")
        }
    }

    func activation(default fallback: String?) throws -> ActivationFunction {
        guard let name = options.activation ?? fallback else { throw LayerSpecError("'\(kind)' needs 'activation'") }
        switch name {
        case "linear": return .linear
        case "relu": return .relu
        case "leaky_relu": return .leakyRelu(alpha: options.alpha ?? 0.2)
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        case "softmax": return .softmax
        default:
            throw LayerSpecError("activation '\(name)' is not one of: linear, relu, leaky_relu, sigmoid, tanh, softmax")
        }
    }
}

/// Why a layer entry cannot be built.
public struct LayerSpecError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
