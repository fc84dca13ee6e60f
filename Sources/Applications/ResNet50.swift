import Training

/// Keras's `keras.applications.ResNet50` (v1): a 7×7 stem and four stacks of
/// bottleneck blocks (3, 4, 6, 3), batch normalisation with epsilon 1.001e-5
/// and momentum 0.99. Layer names, layer order (Keras's, by graph depth: a
/// block's shortcut convolution comes after its second convolution), weight
/// order and parameter counts are Keras's (23,587,712 without the top).
///
/// ```swift
/// let base = try ResNet50(includeTop: false, inputShape: [224, 224, 3])
/// ```
/// Preprocessing: `ImageNetPreprocessing.caffe`.
public func ResNet50(includeTop: Bool = true, inputShape: [Int]? = nil, pooling: GlobalPooling = .none,
                     classes: Int = 1000, classifierActivation: ActivationFunction = .softmax,
                     seed: UInt64 = 0) throws -> Model {
    try ResNet50(ApplicationOptions(includeTop: includeTop, inputShape: inputShape, pooling: pooling, classes: classes,
                                    classifierActivation: classifierActivation, seed: seed))
}

/// ``ResNet50(includeTop:inputShape:pooling:classes:classifierActivation:seed:)`` from options.
public func ResNet50(_ options: ApplicationOptions) throws -> Model {
    try ApplicationParts.requireUnitAlpha(options, "resnet50")
    let input = try Input(shape: options.validatedInputShape(), seed: options.seed)
    var x = try ZeroPadding2D(padding: ((3, 3), (3, 3)), name: "conv1_pad")(input)
    x = try Conv2D(filters: 64, kernelSize: (7, 7), strides: (2, 2), name: "conv1_conv")(x)
    x = try ResNetBlock.normalization("conv1_bn")(x)
    x = try Activation(.relu, name: "conv1_relu")(x)
    x = try ZeroPadding2D(padding: ((1, 1), (1, 1)), name: "pool1_pad")(x)
    x = try MaxPooling2D(poolSize: (3, 3), strides: (2, 2), name: "pool1_pool")(x)
    for (stack, (filters, blocks, stride)) in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)].enumerated() {
        for block in 1...blocks {
            x = try ResNetBlock.residual(x, filters: filters, stride: block == 1 ? stride : 1,
                                         convolutionShortcut: block == 1, name: "conv\(stack + 2)_block\(block)")
        }
    }
    if options.includeTop {
        x = try GlobalAveragePooling2D(name: "avg_pool")(x)
        x = try Dense(units: options.classes, activation: options.classifierActivation, name: "predictions")(x)
    } else {
        x = try ApplicationParts.pool(x, options.pooling, averageName: "avg_pool", maxName: "max_pool")
    }
    return try Model(inputs: input, outputs: x, name: "resnet50")
}

/// Keras's `residual_block_v1`.
enum ResNetBlock {
    static func normalization(_ name: String) throws -> BatchNormalization {
        try BatchNormalization(momentum: 0.99, epsilon: 1.001e-5, name: name)
    }

    /// 1×1 (strided), 3×3, 1×1 (4 × filters) convolutions added to the
    /// shortcut, then ReLU. Layers are created in Keras's listing order.
    static func residual(_ input: SymbolicTensor, filters: Int, stride: Int, convolutionShortcut: Bool,
                         name: String) throws -> SymbolicTensor {
        var x = try Conv2D(filters: filters, kernelSize: (1, 1), strides: (stride, stride), name: "\(name)_1_conv")(input)
        x = try normalization("\(name)_1_bn")(x)
        x = try Activation(.relu, name: "\(name)_1_relu")(x)
        x = try Conv2D(filters: filters, kernelSize: (3, 3), padding: .same, name: "\(name)_2_conv")(x)
        x = try normalization("\(name)_2_bn")(x)
        x = try Activation(.relu, name: "\(name)_2_relu")(x)
        var shortcut = input
        if convolutionShortcut {
            shortcut = try Conv2D(filters: 4 * filters, kernelSize: (1, 1), strides: (stride, stride), name: "\(name)_0_conv")(input)
        }
        x = try Conv2D(filters: 4 * filters, kernelSize: (1, 1), name: "\(name)_3_conv")(x)
        if convolutionShortcut { shortcut = try normalization("\(name)_0_bn")(shortcut) }
        x = try normalization("\(name)_3_bn")(x)
        x = try Add(name: "\(name)_add")([shortcut, x])
        return try Activation(.relu, name: "\(name)_out")(x)
    }
}
