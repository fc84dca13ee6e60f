/// Max pooling over NHWC windows; the gradient flows to each window's
/// maximum (the first one in row-major order on ties).
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
    private var lastInput: UnsafePointer<Float>?

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
        ParallelChunks.run(count: batch, work: batch * g.inputSize) { samples in
            for n in samples {
                let sample = input + n * g.inputSize
                for oy in 0..<g.outputHeight {
                    let ys = max(oy * g.strideY - g.padTop, 0)..<min(oy * g.strideY - g.padTop + g.windowHeight, g.inputHeight)
                    for ox in 0..<g.outputWidth {
                        let x0 = ox * g.strideX - g.padLeft
                        let xs = max(x0, 0)..<min(x0 + g.windowWidth, g.inputWidth)
                        let o = out + ((n * g.outputHeight + oy) * g.outputWidth + ox) * c
                        o.update(from: sample + (ys.lowerBound * g.inputWidth + xs.lowerBound) * c, count: c)
                        for y in ys {
                            for x in xs {
                                VectorKernels.maximum(sample + (y * g.inputWidth + x) * c, into: o, count: c)
                            }
                        }
                    }
                }
            }
        }
        lastInput = input
        return UnsafePointer(out)
    }

    /// Routes each output gradient to the first input of its window that
    /// equals the window's maximum (found again from the kept input).
    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient, let input = lastInput else { return nil }
        let g = geometry!
        let c = g.channels
        let dInput = gradInput.reserve(batch * g.inputSize)
        let out = output.pointer
        ParallelChunks.run(count: batch, work: batch * g.inputSize) { samples in
            (dInput + samples.lowerBound * g.inputSize).update(repeating: 0, count: samples.count * g.inputSize)
            withUnsafeTemporaryAllocation(of: Float.self, capacity: c) { routedBuffer in
                let routed = routedBuffer.baseAddress!
                for n in samples {
                    let base = n * g.inputSize
                    for oy in 0..<g.outputHeight {
                        let ys = max(oy * g.strideY - g.padTop, 0)..<min(oy * g.strideY - g.padTop + g.windowHeight, g.inputHeight)
                        for ox in 0..<g.outputWidth {
                            let x0 = ox * g.strideX - g.padLeft
                            let xs = max(x0, 0)..<min(x0 + g.windowWidth, g.inputWidth)
                            let o = ((n * g.outputHeight + oy) * g.outputWidth + ox) * c
                            routed.update(repeating: 0, count: c)
                            for y in ys {
                                for x in xs {
                                    let i = base + (y * g.inputWidth + x) * c
                                    VectorKernels.routeMaximum(input: input + i, peak: out + o, grad: gradOutput + o,
                                                               dInput: dInput + i, routed: routed, count: c)
                                }
                            }
                        }
                    }
                }
            }
        }
        return UnsafePointer(dInput)
    }
}
