/// Average pooling over NHWC windows. With `.same` padding the average runs
/// over the window's positions inside the input only, as in Keras.
///
/// ```swift
/// let pool = try AveragePooling2D(poolSize: (2, 2))
/// ```
public final class AveragePooling2D: UnaryLayer {
    public let typeName = "AveragePooling2D"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    private let shape: PoolingShape
    private var geometry: WindowGeometry?
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()

    /// The window, its step and the padding mode.
    public var poolSize: (height: Int, width: Int) { shape.poolSize }
    public var strides: (y: Int, x: Int) { shape.strides }
    public var padding: Padding { shape.padding }

    /// `strides` defaults to `poolSize`.
    public init(poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil, padding: Padding = .valid, name: String = "") throws {
        shape = try PoolingShape(poolSize: poolSize, strides: strides, padding: padding)
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        let g = try shape.geometry(layer: name, inputShape: inputShape)
        geometry = g
        outputShape = [g.outputHeight, g.outputWidth, g.channels]
        return outputShape
    }

    /// Visits every (output offset, input offset, 1/window count) triple.
    private func forEachTap(batch: Int, _ body: (Int, Int, Float) -> Void) {
        let g = geometry!
        let c = g.channels
        for n in 0..<batch {
            for oy in 0..<g.outputHeight {
                let y0 = oy * g.strideY - g.padTop
                let ys = max(y0, 0)..<min(y0 + g.windowHeight, g.inputHeight)
                for ox in 0..<g.outputWidth {
                    let x0 = ox * g.strideX - g.padLeft
                    let xs = max(x0, 0)..<min(x0 + g.windowWidth, g.inputWidth)
                    let scale = 1 / Float(ys.count * xs.count)
                    let o = ((n * g.outputHeight + oy) * g.outputWidth + ox) * c
                    for y in ys {
                        for x in xs {
                            let i = n * g.inputSize + (y * g.inputWidth + x) * c
                            for ch in 0..<c { body(o + ch, i + ch, scale) }
                        }
                    }
                }
            }
        }
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let out = context.output(batch * outputSize, else: output)
        out.update(repeating: 0, count: batch * outputSize)
        forEachTap(batch: batch) { o, i, scale in out[o] += input[i] * scale }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let dInput = gradInput.reserve(batch * geometry!.inputSize)
        dInput.update(repeating: 0, count: batch * geometry!.inputSize)
        forEachTap(batch: batch) { o, i, scale in dInput[i] += gradOutput[o] * scale }
        return UnsafePointer(dInput)
    }
}
