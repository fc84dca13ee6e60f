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
        LayerKind(name: "conv2d", options: ["filters", "kernel_size", "strides", "padding", "dilation_rate", "groups",
                                            "activation", "alpha", "approximate", "use_bias"]) {
            try Conv2D(filters: try $0.required($0.options.filters, "filters"),
                       kernelSize: try $0.required($0.options.kernelSize, "kernel_size").tuple,
                       strides: ($0.options.strides ?? IntPair(1, 1)).tuple, padding: try $0.padding(),
                       dilationRate: ($0.options.dilationRate ?? IntPair(1, 1)).tuple, groups: $0.options.groups ?? 1,
                       activation: try $0.activation(default: "linear"), useBias: $0.options.useBias ?? true, name: $0.layerName)
        },
        LayerKind(name: "depthwise_conv2d", options: ["kernel_size", "strides", "padding", "depth_multiplier", "dilation_rate",
                                                      "activation", "alpha", "approximate", "use_bias"]) {
            try DepthwiseConv2D(kernelSize: try $0.required($0.options.kernelSize, "kernel_size").tuple,
                                strides: ($0.options.strides ?? IntPair(1, 1)).tuple, padding: try $0.padding(),
                                depthMultiplier: $0.options.depthMultiplier ?? 1,
                                dilationRate: ($0.options.dilationRate ?? IntPair(1, 1)).tuple,
                                activation: try $0.activation(default: "linear"), useBias: $0.options.useBias ?? true,
                                name: $0.layerName)
        },
        LayerKind(name: "separable_conv2d", options: ["filters", "kernel_size", "strides", "padding", "depth_multiplier",
                                                      "dilation_rate", "activation", "alpha", "approximate", "use_bias"]) {
            try SeparableConv2D(filters: try $0.required($0.options.filters, "filters"),
                                kernelSize: try $0.required($0.options.kernelSize, "kernel_size").tuple,
                                strides: ($0.options.strides ?? IntPair(1, 1)).tuple, padding: try $0.padding(),
                                depthMultiplier: $0.options.depthMultiplier ?? 1,
                                dilationRate: ($0.options.dilationRate ?? IntPair(1, 1)).tuple,
                                activation: try $0.activation(default: "linear"), useBias: $0.options.useBias ?? true,
                                name: $0.layerName)
        },
        LayerKind(name: "conv2d_transpose", options: ["filters", "kernel_size", "strides", "padding", "output_padding",
                                                      "activation", "alpha", "approximate", "use_bias"]) {
            try Conv2DTranspose(filters: try $0.required($0.options.filters, "filters"),
                                kernelSize: try $0.required($0.options.kernelSize, "kernel_size").tuple,
                                strides: ($0.options.strides ?? IntPair(1, 1)).tuple, padding: try $0.padding(),
                                outputPadding: $0.options.outputPadding?.tuple,
                                activation: try $0.activation(default: "linear"), useBias: $0.options.useBias ?? true,
                                name: $0.layerName)
        },
        LayerKind(name: "max_pooling2d", options: ["pool_size", "strides", "padding"]) {
            try MaxPooling2D(poolSize: ($0.options.poolSize ?? IntPair(2, 2)).tuple,
                             strides: $0.options.strides?.tuple, padding: try $0.padding(), name: $0.layerName)
        },
        LayerKind(name: "average_pooling2d", options: ["pool_size", "strides", "padding"]) {
            try AveragePooling2D(poolSize: ($0.options.poolSize ?? IntPair(2, 2)).tuple,
                                 strides: $0.options.strides?.tuple, padding: try $0.padding(), name: $0.layerName)
        },
        LayerKind(name: "global_average_pooling2d", options: ["keepdims"]) {
            GlobalAveragePooling2D(keepdims: $0.options.keepdims ?? false, name: $0.layerName)
        },
        LayerKind(name: "global_max_pooling2d", options: ["keepdims"]) {
            GlobalMaxPooling2D(keepdims: $0.options.keepdims ?? false, name: $0.layerName)
        },
        LayerKind(name: "flatten", options: []) { Flatten(name: $0.layerName) },
        LayerKind(name: "dense", options: ["units", "activation", "alpha", "approximate", "use_bias"]) {
            try Dense(units: try $0.required($0.options.units, "units"), activation: try $0.activation(default: "linear"),
                      useBias: $0.options.useBias ?? true, name: $0.layerName)
        },
        LayerKind(name: "dropout", options: ["rate"]) {
            try Dropout(rate: try $0.required($0.options.rate, "rate"), name: $0.layerName)
        },
        LayerKind(name: "batch_normalization", options: ["momentum", "epsilon"]) {
            try BatchNormalization(momentum: $0.options.momentum ?? 0.99, epsilon: $0.options.epsilon ?? 1e-3, name: $0.layerName)
        },
        LayerKind(name: "activation", options: ["activation", "alpha", "approximate"]) {
            try Activation(try $0.activation(default: nil), name: $0.layerName)
        },
        LayerKind(name: "spatial_dropout2d", options: ["rate"]) {
            try SpatialDropout2D(rate: try $0.required($0.options.rate, "rate"), name: $0.layerName)
        },
        LayerKind(name: "relu", options: ["max_value", "negative_slope", "threshold"]) {
            try ReLU(maxValue: $0.options.maxValue, negativeSlope: $0.options.negativeSlope ?? 0,
                     threshold: $0.options.threshold ?? 0, name: $0.layerName)
        },
        LayerKind(name: "rescaling", options: ["scale", "offset"]) {
            try Rescaling(scale: try $0.required($0.options.scale, "scale"), offset: $0.options.offset ?? 0, name: $0.layerName)
        },
        LayerKind(name: "normalization", options: ["mean", "variance", "invert"]) {
            try Normalization(mean: $0.options.mean, variance: $0.options.variance, invert: $0.options.invert ?? false,
                              name: $0.layerName)
        },
        LayerKind(name: "reshape", options: ["target_shape"]) {
            try Reshape(targetShape: try $0.required($0.options.targetShape, "target_shape"), name: $0.layerName)
        },
        LayerKind(name: "permute", options: ["dims"]) {
            try Permute(dims: try $0.required($0.options.dims, "dims"), name: $0.layerName)
        },
        LayerKind(name: "zero_padding2d", options: ["padding"]) {
            try ZeroPadding2D(padding: try $0.margins($0.options.padding, default: 1), name: $0.layerName)
        },
        LayerKind(name: "cropping2d", options: ["cropping"]) {
            try Cropping2D(cropping: $0.options.cropping?.tuple ?? ((0, 0), (0, 0)), name: $0.layerName)
        },
        LayerKind(name: "up_sampling2d", options: ["size", "interpolation"]) {
            let interpolation = $0.options.interpolation ?? "nearest"
            guard let mode = UpSampling2D.Interpolation(rawValue: interpolation) else {
                throw LayerSpecError("interpolation '\(interpolation)' is not one of: nearest, bilinear")
            }
            return try UpSampling2D(size: ($0.options.size ?? IntPair(2, 2)).tuple, interpolation: mode, name: $0.layerName)
        },
        LayerKind(name: "identity", options: []) { Identity(name: $0.layerName) },
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
        switch options.padding ?? .mode("valid") {
        case .mode("valid"): return .valid
        case .mode("same"): return .same
        case let .mode(other): throw LayerSpecError("padding '\(other)' is not one of: valid, same")
        case .margins: throw LayerSpecError("'\(kind)' takes padding 'valid' or 'same', not margins")
        }
    }

    /// `padding` as margins (`zero_padding2d`), `fallback` on every side when absent.
    func margins(_ option: PaddingOption?, default fallback: Int) throws -> ((Int, Int), (Int, Int)) {
        switch option {
        case nil: return ((fallback, fallback), (fallback, fallback))
        case let .margins(margins): return margins.tuple
        case let .mode(mode): throw LayerSpecError("'\(kind)' takes padding margins (an integer or pairs), not '\(mode)'")
        }
    }

    func activation(default fallback: String?) throws -> ActivationFunction {
        guard let name = options.activation ?? fallback else { throw LayerSpecError("'\(kind)' needs 'activation'") }
        guard let function = ActivationFunction.named(name, alpha: options.alpha, approximate: options.approximate) else {
            throw LayerSpecError("activation '\(name)' is not one of: \(ActivationFunction.kerasNames.joined(separator: ", "))")
        }
        return function
    }
}

/// Why a layer entry cannot be built.
public struct LayerSpecError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
