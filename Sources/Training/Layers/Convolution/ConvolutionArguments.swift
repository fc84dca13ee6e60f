/// Checks and weights shared by the convolution layers, with Keras's rules.
enum ConvolutionArguments {
    /// Throws unless both values of `pair` are positive.
    static func requirePositive(_ pair: (Int, Int), _ parameter: String) throws {
        try require(pair.0 > 0 && pair.1 > 0, parameter, pair, "must be positive")
    }

    /// Kernel size, strides and dilation rate positive.
    static func validate(kernelSize: (Int, Int), strides: (Int, Int), dilationRate: (Int, Int)) throws {
        try requirePositive(kernelSize, "kernelSize")
        try requirePositive(strides, "strides")
        try requirePositive(dilationRate, "dilationRate")
    }

    /// The (height, width, channels) of a per-sample input shape.
    static func image(_ inputShape: [Int], layer: String, typeName: String) throws -> (height: Int, width: Int, channels: Int) {
        guard inputShape.count == 3 else {
            throw TrainingError.incompatibleShape(layer: layer, inputShape: inputShape,
                                                  reason: "\(typeName) needs (height, width, channels)")
        }
        return (inputShape[0], inputShape[1], inputShape[2])
    }

    /// Throws unless the geometry has at least one output pixel.
    static func requireOutput(_ g: WindowGeometry, inputShape: [Int], layer: String) throws {
        guard g.outputHeight > 0, g.outputWidth > 0 else {
            throw TrainingError.incompatibleShape(
                layer: layer, inputShape: inputShape,
                reason: "kernel \(g.windowHeight)×\(g.windowWidth) (dilated span \(g.spanHeight)×\(g.spanWidth)) larger than the input")
        }
    }

    /// A Glorot-uniform kernel of Keras shape `(kh, kw, a, b)`, with Keras's
    /// fans: `a · kh · kw` in and `b · kh · kw` out.
    /// - Throws: `MemoryLimitError` when the kernel would not fit ``Parameter/checkMemory(layer:name:shape:)``.
    static func glorotKernel(layer: String, name: String, shape: [Int], seed: UInt64, parameterIndex: Int) throws -> Parameter {
        try Parameter.checkMemory(layer: layer, name: name, shape: shape)
        let receptive = shape[0] * shape[1]
        return Parameter(name: name, shape: shape) {
            Initializer.glorotUniform(count: shape.reduce(1, *), fanIn: shape[2] * receptive, fanOut: shape[3] * receptive,
                                      key: Initializer.key(seed: seed, parameterIndex: parameterIndex))
        }
    }

    /// A zero bias of `count` values.
    static func zeroBias(_ count: Int) -> Parameter {
        Parameter(name: "bias", shape: [count], initialValues: .init(repeating: 0, count: count))
    }
}
