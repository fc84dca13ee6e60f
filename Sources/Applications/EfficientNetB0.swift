import Training

/// Keras's `keras.applications.EfficientNetB0`: its own input preprocessing
/// (`rescaling` by 1/255 and a `normalization` layer whose mean and variance
/// come with the weights), a strided 3×3 stem, sixteen MBConv blocks with
/// squeeze-and-excitation and swish, stochastic depth (`blockXy_drop`,
/// dropping whole samples at rates growing to 0.2) and, with the top,
/// `top_dropout` (0.2) and `predictions`. Batch normalisation has Keras's
/// defaults (epsilon 1e-3, momentum 0.99). Names, weight order and parameter
/// counts are Keras's (4,049,571 without the top).
///
/// Keras adds one more layer when it loads its own ImageNet file
/// (`weights="imagenet"`): `rescaling_1`, a per-channel Rescaling by
/// 1/√stddev that corrects the normalisation statistics stored in that
/// file. Set `imagenetWeights` when the weights to be loaded are that file.
///
/// ```swift
/// let base = try EfficientNetB0(includeTop: false, inputShape: [224, 224, 3], imagenetWeights: true)
/// ```
/// Inputs are pixels in [0, 255]: the model preprocesses them itself.
public func EfficientNetB0(includeTop: Bool = true, inputShape: [Int]? = nil, pooling: GlobalPooling = .none,
                           classes: Int = 1000, classifierActivation: ActivationFunction = .softmax,
                           imagenetWeights: Bool = false, seed: UInt64 = 0) throws -> Model {
    try EfficientNetB0(ApplicationOptions(includeTop: includeTop, inputShape: inputShape, pooling: pooling, classes: classes,
                                          classifierActivation: classifierActivation, seed: seed),
                       imagenetWeights: imagenetWeights)
}

/// ``EfficientNetB0(includeTop:inputShape:pooling:classes:classifierActivation:imagenetWeights:seed:)`` from options.
public func EfficientNetB0(_ options: ApplicationOptions, imagenetWeights: Bool = false) throws -> Model {
    try ApplicationParts.requireUnitAlpha(options, "efficientnet_b0")
    let input = try Input(shape: options.validatedInputShape(), seed: options.seed)
    var x = try Rescaling(scale: 1 / 255)(input)
    x = try Normalization()(x)
    if imagenetWeights {
        x = try Rescaling(scales: EfficientNetBlock.imagenetStddev.map { 1 / $0.squareRoot() })(x)
    }
    x = try ZeroPadding2D(padding: ApplicationParts.correctPad(x.shape, kernel: 3), name: "stem_conv_pad")(x)
    x = try Conv2D(filters: 32, kernelSize: (3, 3), strides: (2, 2), useBias: false, name: "stem_conv")(x)
    x = try BatchNormalization(name: "stem_bn")(x)
    x = try Activation(.swish, name: "stem_activation")(x)
    let stages = EfficientNetBlock.stages
    let total = Float(stages.reduce(0) { $0 + $1.repeats })
    var index = 0
    for (stage, arguments) in stages.enumerated() {
        for repeat_ in 0..<arguments.repeats {
            let name = "block\(stage + 1)\(Character(UnicodeScalar(UInt8(97 + repeat_))))_"
            x = try EfficientNetBlock.mbConv(
                x, name: name, filtersIn: repeat_ == 0 ? arguments.filtersIn : arguments.filtersOut,
                filtersOut: arguments.filtersOut, kernel: arguments.kernel, stride: repeat_ == 0 ? arguments.stride : 1,
                expansion: arguments.expansion, dropRate: EfficientNetBlock.dropConnectRate * Float(index) / total)
            index += 1
        }
    }
    x = try Conv2D(filters: 1280, kernelSize: (1, 1), padding: .same, useBias: false, name: "top_conv")(x)
    x = try BatchNormalization(name: "top_bn")(x)
    x = try Activation(.swish, name: "top_activation")(x)
    if options.includeTop {
        x = try GlobalAveragePooling2D(name: "avg_pool")(x)
        x = try Dropout(rate: 0.2, name: "top_dropout")(x)
        x = try Dense(units: options.classes, activation: options.classifierActivation, name: "predictions")(x)
    } else {
        x = try ApplicationParts.pool(x, options.pooling, averageName: "avg_pool", maxName: "max_pool")
    }
    return try Model(inputs: input, outputs: x, name: "efficientnetb0")
}

/// Keras's EfficientNet `block` and B0's `DEFAULT_BLOCKS_ARGS` (width and depth coefficients 1).
enum EfficientNetBlock {
    /// Keras's `IMAGENET_STDDEV_RGB`.
    static let imagenetStddev: [Float] = [0.229, 0.224, 0.225]
    static let dropConnectRate: Float = 0.2

    static let stages: [(kernel: Int, repeats: Int, filtersIn: Int, filtersOut: Int, expansion: Int, stride: Int)] = [
        (3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2), (3, 3, 40, 80, 6, 2),
        (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2), (3, 1, 192, 320, 6, 1),
    ]

    /// Expansion, depthwise convolution, squeeze-and-excitation (ratio 0.25),
    /// projection, and the residual with stochastic depth when shapes allow.
    static func mbConv(_ input: SymbolicTensor, name: String, filtersIn: Int, filtersOut: Int, kernel: Int, stride: Int,
                       expansion: Int, dropRate: Float) throws -> SymbolicTensor {
        let filters = filtersIn * expansion
        var x = input
        if expansion != 1 {
            x = try Conv2D(filters: filters, kernelSize: (1, 1), padding: .same, useBias: false, name: "\(name)expand_conv")(x)
            x = try BatchNormalization(name: "\(name)expand_bn")(x)
            x = try Activation(.swish, name: "\(name)expand_activation")(x)
        }
        if stride == 2 {
            x = try ZeroPadding2D(padding: ApplicationParts.correctPad(x.shape, kernel: kernel), name: "\(name)dwconv_pad")(x)
        }
        x = try DepthwiseConv2D(kernelSize: (kernel, kernel), strides: (stride, stride), padding: stride == 2 ? .valid : .same,
                                useBias: false, name: "\(name)dwconv")(x)
        x = try BatchNormalization(name: "\(name)bn")(x)
        x = try Activation(.swish, name: "\(name)activation")(x)
        let squeezed = max(1, filtersIn / 4)
        var se = try GlobalAveragePooling2D(name: "\(name)se_squeeze")(x)
        se = try Reshape(targetShape: [1, 1, filters], name: "\(name)se_reshape")(se)
        se = try Conv2D(filters: squeezed, kernelSize: (1, 1), padding: .same, activation: .swish, name: "\(name)se_reduce")(se)
        se = try Conv2D(filters: filters, kernelSize: (1, 1), padding: .same, activation: .sigmoid, name: "\(name)se_expand")(se)
        x = try Multiply(name: "\(name)se_excite")([x, se])
        x = try Conv2D(filters: filtersOut, kernelSize: (1, 1), padding: .same, useBias: false, name: "\(name)project_conv")(x)
        x = try BatchNormalization(name: "\(name)project_bn")(x)
        if stride == 1 && filtersIn == filtersOut {
            if dropRate > 0 { x = try Dropout(rate: dropRate, noiseShape: [1, 1, 1], name: "\(name)drop")(x) }
            x = try Add(name: "\(name)add")([x, input])
        }
        return x
    }
}
