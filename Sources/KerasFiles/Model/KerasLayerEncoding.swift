import Training

/// Keras 3 layer configs of Augment layers, as `get_config` writes them:
/// the arguments that matter (Keras fills in its defaults for the rest).
enum KerasLayerEncoding {
    /// `layer`'s class name and `config` object; throws
    /// ``KerasModelError/unsupportedArgument(file:layer:argument:value:)``
    /// for a setting Keras cannot express (a leaky_relu slope other than
    /// Keras's default, as a layer's activation string).
    static func config(of layer: any Layer, file: String) throws -> (className: String, config: [String: JSONValue]) {
        var config: [String: JSONValue] = ["name": .string(layer.name), "trainable": .bool(layer.trainable), "dtype": float32Policy]
        func activation(_ function: ActivationFunction) throws -> JSONValue {
            guard ActivationFunction.named(function.name) == function else {
                throw KerasModelError.unsupportedArgument(file: file, layer: layer.name, argument: "activation", value: "\(function)")
            }
            return .string(function.name)
        }
        func pair(_ values: (Int, Int)) -> JSONValue { JSONValue([values.0, values.1]) }
        let extra: [String: JSONValue]
        switch layer {
        case let conv as Conv2D:
            extra = ["filters": JSONValue(integerLiteral: conv.filters), "kernel_size": pair(conv.kernelSize), "strides": pair(conv.strides),
                     "padding": .string(conv.padding.rawValue), "data_format": "channels_last", "dilation_rate": pair(conv.dilationRate),
                     "groups": JSONValue(integerLiteral: conv.groups), "activation": try activation(conv.activation), "use_bias": .bool(conv.useBias)]
        case let conv as DepthwiseConv2D:
            extra = ["kernel_size": pair(conv.kernelSize), "strides": pair(conv.strides), "padding": .string(conv.padding.rawValue),
                     "data_format": "channels_last", "depth_multiplier": JSONValue(integerLiteral: conv.depthMultiplier),
                     "dilation_rate": pair(conv.dilationRate), "activation": try activation(conv.activation), "use_bias": .bool(conv.useBias)]
        case let conv as SeparableConv2D:
            extra = ["filters": JSONValue(integerLiteral: conv.filters), "kernel_size": pair(conv.kernelSize), "strides": pair(conv.strides),
                     "padding": .string(conv.padding.rawValue), "data_format": "channels_last",
                     "depth_multiplier": JSONValue(integerLiteral: conv.depthMultiplier), "dilation_rate": pair(conv.dilationRate),
                     "activation": try activation(conv.activation), "use_bias": .bool(conv.useBias)]
        case let conv as Conv2DTranspose:
            extra = ["filters": JSONValue(integerLiteral: conv.filters), "kernel_size": pair(conv.kernelSize), "strides": pair(conv.strides),
                     "padding": .string(conv.padding.rawValue), "data_format": "channels_last",
                     "output_padding": conv.outputPadding.map { pair($0) } ?? .null,
                     "activation": try activation(conv.activation), "use_bias": .bool(conv.useBias)]
        case let dense as Dense:
            extra = ["units": JSONValue(integerLiteral: dense.units), "activation": try activation(dense.activation), "use_bias": .bool(dense.useBias)]
        case let norm as BatchNormalization:
            extra = ["axis": -1, "momentum": JSONValue(norm.momentum), "epsilon": JSONValue(norm.epsilon), "center": true, "scale": true]
        case let dropout as Dropout:
            extra = ["rate": JSONValue(dropout.rate), "noise_shape": dropout.noiseShape.map { .array([.null] + $0.map { JSONValue(integerLiteral: $0) }) } ?? .null]
        case let dropout as SpatialDropout2D:
            config["trainable"] = nil  // Keras's SpatialDropout2D takes no `trainable`
            extra = ["rate": JSONValue(dropout.rate), "data_format": "channels_last"]
        case let layer as Activation:
            extra = ["activation": try activation(layer.function)]
        case let relu as ReLU:
            extra = ["max_value": relu.maxValue.map { JSONValue($0) } ?? .null, "negative_slope": JSONValue(relu.negativeSlope),
                     "threshold": JSONValue(relu.threshold)]
        case is Flatten:
            extra = ["data_format": "channels_last"]
        case let pool as MaxPooling2D:
            extra = ["pool_size": pair(pool.poolSize), "strides": pair(pool.strides), "padding": .string(pool.padding.rawValue),
                     "data_format": "channels_last"]
        case let pool as AveragePooling2D:
            extra = ["pool_size": pair(pool.poolSize), "strides": pair(pool.strides), "padding": .string(pool.padding.rawValue),
                     "data_format": "channels_last"]
        case let pool as GlobalAveragePooling2D:
            extra = ["keepdims": .bool(pool.keepdims), "data_format": "channels_last"]
        case let pool as GlobalMaxPooling2D:
            extra = ["keepdims": .bool(pool.keepdims), "data_format": "channels_last"]
        case let rescaling as Rescaling:
            extra = ["scale": rescaling.scales.count == 1 ? JSONValue(rescaling.scales[0]) : .array(rescaling.scales.map { JSONValue($0) }),
                     "offset": JSONValue(rescaling.offset)]
        case let norm as Normalization:
            extra = ["axis": -1, "invert": .bool(norm.invert),
                     "mean": norm.givenMean.map { .array($0.map { JSONValue($0) }) } ?? .null,
                     "variance": norm.givenVariance.map { .array($0.map { JSONValue($0) }) } ?? .null]
        case let reshape as Reshape:
            extra = ["target_shape": JSONValue(reshape.targetShape)]
        case let permute as Permute:
            extra = ["dims": JSONValue(permute.dims)]
        case let padding as ZeroPadding2D:
            extra = ["padding": margins(padding.padding), "data_format": "channels_last"]
        case let cropping as Cropping2D:
            extra = ["cropping": margins(cropping.cropping), "data_format": "channels_last"]
        case let upsampling as UpSampling2D:
            extra = ["size": pair(upsampling.size), "interpolation": .string(upsampling.interpolation.rawValue), "data_format": "channels_last"]
        case let concatenate as Concatenate:
            extra = ["axis": JSONValue(integerLiteral: concatenate.axis)]
        case is Identity, is Add, is Subtract, is Multiply, is Average, is Maximum, is Minimum:
            extra = [:]
        default:
            throw KerasModelError.unsupportedLayer(file: file, layer: layer.name, className: layer.typeName)
        }
        config.merge(extra) { _, new in new }
        return (layer.typeName, config)
    }

    /// Keras 3's float32 `DTypePolicy`.
    static let float32Policy: JSONValue = [
        "module": "keras", "class_name": "DTypePolicy", "config": ["name": "float32"], "registered_name": nil,
    ]

    private static func margins(_ margins: Margins2D) -> JSONValue {
        [JSONValue([margins.top, margins.bottom]), JSONValue([margins.left, margins.right])]
    }
}
