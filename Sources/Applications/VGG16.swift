import Training

/// Keras's `keras.applications.VGG16`: thirteen 3×3 ReLU convolutions in five
/// blocks, each closed by 2×2 max pooling, then (with the top) `flatten`,
/// `fc1`, `fc2` (4096 ReLU units each) and `predictions`. Layer names, weight
/// order and parameter counts are Keras's (14,714,688 without the top).
///
/// ```swift
/// let base = try VGG16(includeTop: false, inputShape: [150, 150, 3], pooling: .avg)
/// ```
/// Preprocessing: `ImageNetPreprocessing.caffe`.
public func VGG16(includeTop: Bool = true, inputShape: [Int]? = nil, pooling: GlobalPooling = .none,
                  classes: Int = 1000, classifierActivation: ActivationFunction = .softmax,
                  seed: UInt64 = 0) throws -> Model {
    try VGG16(ApplicationOptions(includeTop: includeTop, inputShape: inputShape, pooling: pooling, classes: classes,
                                 classifierActivation: classifierActivation, seed: seed))
}

/// ``VGG16(includeTop:inputShape:pooling:classes:classifierActivation:seed:)`` from options.
public func VGG16(_ options: ApplicationOptions) throws -> Model {
    try ApplicationParts.requireUnitAlpha(options, "vgg16")
    let input = try Input(shape: options.validatedInputShape(), seed: options.seed)
    var x = input
    for (block, (filters, convolutions)) in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)].enumerated() {
        for index in 1...convolutions {
            x = try Conv2D(filters: filters, kernelSize: (3, 3), padding: .same, activation: .relu,
                           name: "block\(block + 1)_conv\(index)")(x)
        }
        x = try MaxPooling2D(poolSize: (2, 2), strides: (2, 2), name: "block\(block + 1)_pool")(x)
    }
    if options.includeTop {
        x = try Flatten(name: "flatten")(x)
        x = try Dense(units: 4096, activation: .relu, name: "fc1")(x)
        x = try Dense(units: 4096, activation: .relu, name: "fc2")(x)
        x = try Dense(units: options.classes, activation: options.classifierActivation, name: "predictions")(x)
    } else {
        x = try ApplicationParts.pool(x, options.pooling)
    }
    return try Model(inputs: input, outputs: x, name: "vgg16")
}
