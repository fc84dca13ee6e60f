import Training

/// Keras's `keras.applications.MobileNetV2`: inverted residual blocks of
/// 1×1 expansion, 3×3 depthwise and 1×1 linear projection convolutions,
/// ReLU6, batch normalisation with epsilon 1e-3 and momentum 0.999. `alpha`
/// (the width multiplier, 0.35–1.4 for Keras's ImageNet files) scales every
/// block's filters. Names, weight order and parameter counts are Keras's
/// (2,257,984 without the top at alpha 1); the model is named
/// `mobilenetv2_<alpha>_<rows>` as in Keras.
///
/// ```swift
/// let base = try MobileNetV2(inputShape: [224, 224, 3], alpha: 1.0, includeTop: false)
/// base.trainable = false
/// ```
/// Preprocessing: `ImageNetPreprocessing.tf`.
public func MobileNetV2(inputShape: [Int]? = nil, alpha: Float = 1, includeTop: Bool = true,
                        pooling: GlobalPooling = .none, classes: Int = 1000,
                        classifierActivation: ActivationFunction = .softmax, seed: UInt64 = 0) throws -> Model {
    try MobileNetV2(ApplicationOptions(includeTop: includeTop, inputShape: inputShape, pooling: pooling, classes: classes,
                                       classifierActivation: classifierActivation, alpha: alpha, seed: seed))
}

/// ``MobileNetV2(inputShape:alpha:includeTop:pooling:classes:classifierActivation:seed:)`` from options.
public func MobileNetV2(_ options: ApplicationOptions) throws -> Model {
    // Through the decimal text, so that alpha 1.3 is Python's 1.3 and not Float(1.3) = 1.2999999523.
    let alpha = Double("\(options.alpha)") ?? Double(options.alpha)
    guard alpha > 0, alpha.isFinite else {
        throw TrainingError.invalidArgument(parameter: "alpha", value: "\(options.alpha)", reason: "must be positive")
    }
    let shape = try options.validatedInputShape()
    let input = try Input(shape: shape, seed: options.seed)
    var x = try Conv2D(filters: MobileNetV2Block.divisible(32 * alpha), kernelSize: (3, 3), strides: (2, 2),
                       padding: .same, useBias: false, name: "Conv1")(input)
    x = try MobileNetV2Block.normalization("bn_Conv1")(x)
    x = try ReLU(maxValue: 6, name: "Conv1_relu")(x)
    let blocks: [(filters: Int, stride: Int, expansion: Int)] = [
        (16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6), (64, 1, 6),
        (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6),
    ]
    for (id, block) in blocks.enumerated() {
        x = try MobileNetV2Block.invertedResidual(x, filters: block.filters, alpha: alpha, stride: block.stride,
                                                  expansion: block.expansion, id: id)
    }
    let lastFilters = alpha > 1 ? MobileNetV2Block.divisible(1280 * alpha) : 1280
    x = try Conv2D(filters: lastFilters, kernelSize: (1, 1), useBias: false, name: "Conv_1")(x)
    x = try MobileNetV2Block.normalization("Conv_1_bn")(x)
    x = try ReLU(maxValue: 6, name: "out_relu")(x)
    if options.includeTop {
        x = try GlobalAveragePooling2D()(x)
        x = try Dense(units: options.classes, activation: options.classifierActivation, name: "predictions")(x)
    } else {
        x = try ApplicationParts.pool(x, options.pooling)
    }
    return try Model(inputs: input, outputs: x, name: "mobilenetv2_\(MobileNetV2Block.twoDecimals(alpha))_\(shape[0])")
}

/// Keras's `_inverted_res_block` and `_make_divisible`.
enum MobileNetV2Block {
    static func normalization(_ name: String) throws -> BatchNormalization {
        try BatchNormalization(momentum: 0.999, epsilon: 1e-3, name: name)
    }

    /// `v` rounded to the nearest multiple of 8 (at least 8), one step up when
    /// rounding lost more than 10 %.
    static func divisible(_ v: Double, divisor: Int = 8) -> Int {
        var rounded = max(divisor, Int(v + Double(divisor) / 2) / divisor * divisor)
        if Double(rounded) < 0.9 * v { rounded += divisor }
        return rounded
    }

    /// Python's `f"{alpha:0.2f}"`.
    static func twoDecimals(_ alpha: Double) -> String {
        let hundredths = Int((alpha * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func invertedResidual(_ input: SymbolicTensor, filters: Int, alpha: Double, stride: Int, expansion: Int,
                                 id: Int) throws -> SymbolicTensor {
        let inChannels = input.shape[2]
        let pointwiseFilters = divisible(Double(Int(Double(filters) * alpha)))
        var x = input
        var prefix = "block_\(id)_"
        if id > 0 {
            x = try Conv2D(filters: expansion * inChannels, kernelSize: (1, 1), padding: .same, useBias: false,
                           name: "\(prefix)expand")(x)
            x = try normalization("\(prefix)expand_BN")(x)
            x = try ReLU(maxValue: 6, name: "\(prefix)expand_relu")(x)
        } else {
            prefix = "expanded_conv_"
        }
        if stride == 2 {
            x = try ZeroPadding2D(padding: ApplicationParts.correctPad(x.shape, kernel: 3), name: "\(prefix)pad")(x)
        }
        x = try DepthwiseConv2D(kernelSize: (3, 3), strides: (stride, stride), padding: stride == 1 ? .same : .valid,
                                useBias: false, name: "\(prefix)depthwise")(x)
        x = try normalization("\(prefix)depthwise_BN")(x)
        x = try ReLU(maxValue: 6, name: "\(prefix)depthwise_relu")(x)
        x = try Conv2D(filters: pointwiseFilters, kernelSize: (1, 1), padding: .same, useBias: false,
                       name: "\(prefix)project")(x)
        x = try normalization("\(prefix)project_BN")(x)
        if inChannels == pointwiseFilters && stride == 1 {
            return try Add(name: "\(prefix)add")([input, x])
        }
        return x
    }
}
