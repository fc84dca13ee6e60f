/// Max pooling over NHWC windows; the gradient flows to each window's
/// maximum (the first one on ties).
///
/// ```swift
/// let pool = try MaxPooling2D(poolSize: (2, 2))
/// ```
public final class MaxPooling2D: Layer {
    public let typeName = "MaxPooling2D"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    private let shape: PoolingShape
    private var geometry: WindowGeometry?
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var argmax: [Int32] = []

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

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let g = geometry!
        let c = g.channels
        let out = output.reserve(batch * outputSize)
        if argmax.count < batch * outputSize { argmax = .init(repeating: 0, count: batch * outputSize) }
        argmax.withUnsafeMutableBufferPointer { index in
            for n in 0..<batch {
                let sample = input + n * g.inputSize
                for oy in 0..<g.outputHeight {
                    let y0 = oy * g.strideY - g.padTop
                    for ox in 0..<g.outputWidth {
                        let x0 = ox * g.strideX - g.padLeft
                        let o = ((n * g.outputHeight + oy) * g.outputWidth + ox) * c
                        for ch in 0..<c { out[o + ch] = -.infinity; index[o + ch] = -1 }
                        for y in max(y0, 0)..<min(y0 + g.windowHeight, g.inputHeight) {
                            for x in max(x0, 0)..<min(x0 + g.windowWidth, g.inputWidth) {
                                let i = (y * g.inputWidth + x) * c
                                for ch in 0..<c where sample[i + ch] > out[o + ch] {
                                    out[o + ch] = sample[i + ch]
                                    index[o + ch] = Int32(n * g.inputSize + i + ch)
                                }
                            }
                        }
                    }
                }
            }
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let g = geometry!
        let dInput = gradInput.reserve(batch * g.inputSize)
        dInput.update(repeating: 0, count: batch * g.inputSize)
        argmax.withUnsafeBufferPointer { index in
            for o in 0..<(batch * outputSize) where index[o] >= 0 {
                dInput[Int(index[o])] += gradOutput[o]
            }
        }
        return UnsafePointer(dInput)
    }
}
