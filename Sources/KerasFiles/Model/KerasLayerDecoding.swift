import Training

/// Augment layers from Keras layer configs: one entry per Keras class name
/// Augment has. Models (`Functional`, `Sequential`) are read by `KerasModelDecoding`.
enum KerasLayerDecoding {
    typealias Make = @Sendable (inout LayerConfigReader) throws -> any Layer

    /// The layer `reader` describes; throws ``KerasModelError`` for a class
    /// Augment lacks or an argument it cannot honour.
    static func layer(_ reader: inout LayerConfigReader) throws -> any Layer {
        guard let make = makers[reader.className] else {
            throw KerasModelError.unsupportedLayer(file: reader.file, layer: reader.name, className: reader.className)
        }
        let layer = try make(&reader)
        try reader.finish()
        layer.trainable = reader.trainable
        return layer
    }

    private static let makers: [String: Make] = [
        "Conv2D": { r in
            try r.expect("data_format", "channels_last")
            return try Conv2D(filters: r.int("filters"), kernelSize: r.pair("kernel_size"), strides: r.pair("strides", default: (1, 1)),
                              padding: r.padding(), dilationRate: r.pair("dilation_rate", default: (1, 1)),
                              groups: r.int("groups", default: 1), activation: r.activation(),
                              useBias: r.bool("use_bias", default: true), name: r.name)
        },
        "DepthwiseConv2D": { r in
            try r.expect("data_format", "channels_last")
            return try DepthwiseConv2D(kernelSize: r.pair("kernel_size"), strides: r.pair("strides", default: (1, 1)),
                                       padding: r.padding(), depthMultiplier: r.int("depth_multiplier", default: 1),
                                       dilationRate: r.pair("dilation_rate", default: (1, 1)), activation: r.activation(),
                                       useBias: r.bool("use_bias", default: true), name: r.name)
        },
        "SeparableConv2D": { r in
            try r.expect("data_format", "channels_last")
            return try SeparableConv2D(filters: r.int("filters"), kernelSize: r.pair("kernel_size"),
                                       strides: r.pair("strides", default: (1, 1)), padding: r.padding(),
                                       depthMultiplier: r.int("depth_multiplier", default: 1),
                                       dilationRate: r.pair("dilation_rate", default: (1, 1)), activation: r.activation(),
                                       useBias: r.bool("use_bias", default: true), name: r.name)
        },
        "Conv2DTranspose": { r in
            try r.expect("data_format", "channels_last")
            try r.expect("dilation_rate", 1, [1, 1])
            let outputPadding = try r.value("output_padding") == nil ? nil : r.pair("output_padding")
            return try Conv2DTranspose(filters: r.int("filters"), kernelSize: r.pair("kernel_size"),
                                       strides: r.pair("strides", default: (1, 1)), padding: r.padding(),
                                       outputPadding: outputPadding, activation: r.activation(),
                                       useBias: r.bool("use_bias", default: true), name: r.name)
        },
        "Dense": { r in
            try Dense(units: r.int("units"), activation: r.activation(), useBias: r.bool("use_bias", default: true), name: r.name)
        },
        "BatchNormalization": { r in
            try r.expect("axis", -1, 3, [-1], [3])
            try r.expect("center", true)
            try r.expect("scale", true)
            try r.expect("synchronized", false)
            try r.expect("renorm", false)
            _ = r.value("renorm_momentum")  // used by renorm only
            return try BatchNormalization(momentum: r.float("momentum", default: 0.99), epsilon: r.float("epsilon", default: 1e-3),
                                          name: r.name)
        },
        "Dropout": { r in
            // Keras's noise_shape includes the batch axis (null or an integer).
            let noise = try r.value("noise_shape").map { value -> [Int] in
                guard let items = value.array?.dropFirst(), items.allSatisfy({ $0.int != nil }) else { throw r.unsupported("noise_shape", value) }
                return items.map { $0.int! }
            }
            return try Dropout(rate: r.float("rate", default: 0), noiseShape: noise, name: r.name)
        },
        "SpatialDropout2D": { r in
            try r.expect("data_format", "channels_last")
            return try SpatialDropout2D(rate: r.float("rate", default: 0), name: r.name)
        },
        "Activation": { r in try Activation(r.activation(), name: r.name) },
        "ReLU": { r in
            let maxValue = try r.value("max_value") == nil ? nil : r.float("max_value", default: 0)
            return try ReLU(maxValue: maxValue, negativeSlope: r.float("negative_slope", default: 0),
                            threshold: r.float("threshold", default: 0), name: r.name)
        },
        "Flatten": { r in
            try r.expect("data_format", "channels_last")
            return Flatten(name: r.name)
        },
        "MaxPooling2D": { r in
            try r.expect("data_format", "channels_last")
            let size = try r.pair("pool_size", default: (2, 2))
            return try MaxPooling2D(poolSize: size, strides: r.value("strides") == nil ? nil : r.pair("strides"), padding: r.padding(), name: r.name)
        },
        "AveragePooling2D": { r in
            try r.expect("data_format", "channels_last")
            let size = try r.pair("pool_size", default: (2, 2))
            return try AveragePooling2D(poolSize: size, strides: r.value("strides") == nil ? nil : r.pair("strides"), padding: r.padding(),
                                        name: r.name)
        },
        "GlobalAveragePooling2D": { r in
            try r.expect("data_format", "channels_last")
            return try GlobalAveragePooling2D(keepdims: r.bool("keepdims", default: false), name: r.name)
        },
        "GlobalMaxPooling2D": { r in
            try r.expect("data_format", "channels_last")
            return try GlobalMaxPooling2D(keepdims: r.bool("keepdims", default: false), name: r.name)
        },
        "Rescaling": { r in try Rescaling(scales: r.floats("scale") ?? [1], offset: r.float("offset", default: 0), name: r.name) },
        "Normalization": { r in
            try r.expect("axis", -1, [-1])
            return try Normalization(mean: r.floats("mean"), variance: r.floats("variance"), invert: r.bool("invert", default: false),
                                     name: r.name)
        },
        "Reshape": { r in
            guard let shape = try r.ints("target_shape") else { throw r.invalid("'target_shape' is missing") }
            return try Reshape(targetShape: shape, name: r.name)
        },
        "Permute": { r in
            guard let dims = try r.ints("dims") else { throw r.invalid("'dims' is missing") }
            return try Permute(dims: dims, name: r.name)
        },
        "ZeroPadding2D": { r in
            try r.expect("data_format", "channels_last")
            return try ZeroPadding2D(padding: r.margins("padding", default: 1), name: r.name)
        },
        "Cropping2D": { r in
            try r.expect("data_format", "channels_last")
            return try Cropping2D(cropping: r.margins("cropping", default: 0), name: r.name)
        },
        "UpSampling2D": { r in
            try r.expect("data_format", "channels_last")
            let mode = try r.value("interpolation").map { value -> UpSampling2D.Interpolation in
                guard let mode = value.string.flatMap(UpSampling2D.Interpolation.init(rawValue:)) else {
                    throw r.unsupported("interpolation", value)
                }
                return mode
            }
            return try UpSampling2D(size: r.pair("size", default: (2, 2)), interpolation: mode ?? .nearest, name: r.name)
        },
        "Identity": { r in Identity(name: r.name) },
        "Add": { r in Add(name: r.name) },
        "Subtract": { r in Subtract(name: r.name) },
        "Multiply": { r in Multiply(name: r.name) },
        "Average": { r in Average(name: r.name) },
        "Maximum": { r in Maximum(name: r.name) },
        "Minimum": { r in Minimum(name: r.name) },
        "Concatenate": { r in try Concatenate(axis: r.int("axis", default: -1), name: r.name) },
    ]
}

extension LayerConfigReader {
    /// Margins as Keras gives them: one integer, (vertical, horizontal), or
    /// ((top, bottom), (left, right)).
    mutating func margins(_ key: String, default fallback: Int) throws -> ((Int, Int), (Int, Int)) {
        guard let value = value(key) else { return ((fallback, fallback), (fallback, fallback)) }
        if let single = value.int { return ((single, single), (single, single)) }
        guard let items = value.array, items.count == 2 else { throw unsupported(key, value) }
        if let vertical = items[0].int, let horizontal = items[1].int {
            return ((vertical, vertical), (horizontal, horizontal))
        }
        let pairs = items.compactMap { $0.array?.compactMap(\.int) }
        guard pairs.count == 2, pairs.allSatisfy({ $0.count == 2 }) else { throw unsupported(key, value) }
        return ((pairs[0][0], pairs[0][1]), (pairs[1][0], pairs[1][1]))
    }
}
