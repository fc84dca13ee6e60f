import Tensors
import Training

extension LayerSpec {
    /// Options each layer kind accepts, besides `name` and `trainable`.
    static let accepted: [String: Set<String>] = [
        "conv2d": ["filters", "kernel_size", "strides", "padding", "activation", "alpha", "use_bias"],
        "max_pooling2d": ["pool_size", "strides", "padding"],
        "average_pooling2d": ["pool_size", "strides", "padding"],
        "global_average_pooling2d": [], "global_max_pooling2d": [], "flatten": [],
        "dense": ["units", "activation", "alpha", "use_bias"],
        "dropout": ["rate"],
        "batch_normalization": ["momentum", "epsilon"],
        "activation": ["activation", "alpha"],
    ]

    /// Builds the Training layer this entry describes.
    /// - Throws: ``LayerSpecError`` for an option the layer does not take, a
    ///   missing required option, or a value the layer rejects.
    public func makeLayer() throws -> any Layer {
        let allowed = Self.accepted[kind, default: []].union(["name", "trainable"])
        if let stray = options.givenKeys.first(where: { !allowed.contains($0) }) {
            throw LayerSpecError("'\(kind)' takes no option '\(stray)'")
        }
        let name = options.name ?? ""
        let layer: any Layer
        switch kind {
        case "conv2d":
            layer = try Conv2D(filters: try required(options.filters, "filters"),
                               kernelSize: try required(options.kernelSize, "kernel_size").tuple,
                               strides: (options.strides ?? IntPair(1, 1)).tuple,
                               padding: try padding(), activation: try activation(default: "linear"),
                               useBias: options.useBias ?? true, name: name)
        case "max_pooling2d":
            layer = try MaxPooling2D(poolSize: (options.poolSize ?? IntPair(2, 2)).tuple,
                                     strides: options.strides?.tuple, padding: try padding(), name: name)
        case "average_pooling2d":
            layer = try AveragePooling2D(poolSize: (options.poolSize ?? IntPair(2, 2)).tuple,
                                         strides: options.strides?.tuple, padding: try padding(), name: name)
        case "global_average_pooling2d": layer = GlobalAveragePooling2D(name: name)
        case "global_max_pooling2d": layer = GlobalMaxPooling2D(name: name)
        case "flatten": layer = Flatten(name: name)
        case "dense":
            layer = try Dense(units: try required(options.units, "units"), activation: try activation(default: "linear"),
                              useBias: options.useBias ?? true, name: name)
        case "dropout": layer = try Dropout(rate: try required(options.rate, "rate"), name: name)
        case "batch_normalization":
            layer = try BatchNormalization(momentum: options.momentum ?? 0.99, epsilon: options.epsilon ?? 1e-3, name: name)
        default: layer = try Activation(try activation(default: nil), name: name)
        }
        if let trainable = options.trainable { layer.trainable = trainable }
        return layer
    }

    private func required<T>(_ value: T?, _ key: String) throws -> T {
        guard let value else { throw LayerSpecError("'\(kind)' needs '\(key)'") }
        return value
    }

    private func padding() throws -> Padding {
        switch options.padding ?? "valid" {
        case "valid": return .valid
        case "same": return .same
        case let other: throw LayerSpecError("padding '\(other)' is not one of: valid, same")
        }
    }

    private func activation(default fallback: String?) throws -> ActivationFunction {
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
