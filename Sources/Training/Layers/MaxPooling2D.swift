/// Max pooling over NHWC windows in C on oneDNN's OpenMP threads (`MaxPoolingPlan`); the
/// gradient flows to each window's maximum (the first one in row-major
/// order on ties).
///
/// ```swift
/// let pool = try MaxPooling2D(poolSize: (2, 2))
/// ```
public final class MaxPooling2D: UnaryLayer {
    public let typeName = "MaxPooling2D"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    private let shape: PoolingShape
    private(set) var geometry: WindowGeometry?
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var lastInput: UnsafePointer<Float>?
    private var plan: MaxPoolingPlan?
    private var recordedMaxima = false

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

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let out = context.output(batch * outputSize, else: output)
        plan(batch: batch).forward(input, into: out, training: context.training)
        lastInput = input
        recordedMaxima = context.training
        return UnsafePointer(out)
    }

    /// Routes each output gradient to the first input of its window that
    /// holds the window's maximum, as recorded by the training forward (run
    /// again on the kept input after an inference forward).
    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        return backward(gradOutput, batch: batch, throughReLU: false)
    }

    /// ``backward(_:batch:needsInputGradient:)``, and with `throughReLU`
    /// also the backward pass of a ReLU that produced this layer's input:
    /// the gradient reaches only maxima > 0 (``Sequential`` fuses a ReLU
    /// convolution followed by max pooling this way).
    func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, throughReLU: Bool) -> UnsafePointer<Float>? {
        guard let input = lastInput else { return nil }
        let plan = plan(batch: batch)
        if !recordedMaxima {
            plan.forward(input, into: output.reserve(batch * outputSize), training: true)
            recordedMaxima = true
        }
        let dInput = BackwardArena.gradient(batch * geometry!.inputSize, else: gradInput)
        plan.backward(gradOutput, into: dInput, positiveIn: throughReLU ? input : nil)
        return UnsafePointer(dInput)
    }

    /// The plan for `batch` samples (rebuilt when the batch size changes).
    private func plan(batch: Int) -> MaxPoolingPlan {
        if let plan, plan.batch == batch { return plan }
        let made = MaxPoolingPlan(geometry: geometry!, batch: batch)
        plan = made
        return made
    }
}
