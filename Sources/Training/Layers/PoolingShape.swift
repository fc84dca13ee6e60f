/// Shared construction checks and geometry of the 2-D pooling layers.
struct PoolingShape {
    let poolSize: (height: Int, width: Int)
    let strides: (y: Int, x: Int)
    let padding: Padding

    /// `strides` defaults to `poolSize`, as in Keras.
    init(poolSize: (Int, Int), strides: (Int, Int)?, padding: Padding) throws {
        try require(poolSize.0 > 0 && poolSize.1 > 0, "poolSize", poolSize, "must be positive")
        let s = strides ?? poolSize
        try require(s.0 > 0 && s.1 > 0, "strides", s, "must be positive")
        self.poolSize = poolSize
        self.strides = s
        self.padding = padding
    }

    func geometry(layer: String, inputShape: [Int]) throws -> WindowGeometry {
        guard inputShape.count == 3 else {
            throw TrainingError.incompatibleShape(layer: layer, inputShape: inputShape, reason: "pooling needs (height, width, channels)")
        }
        let g = WindowGeometry(input: (inputShape[0], inputShape[1], inputShape[2]),
                               window: poolSize, strides: strides, padding: padding)
        guard g.outputHeight > 0, g.outputWidth > 0 else {
            throw TrainingError.incompatibleShape(layer: layer, inputShape: inputShape, reason: "pool \(poolSize) larger than the input")
        }
        return g
    }
}
