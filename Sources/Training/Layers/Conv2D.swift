/// A 2-D convolution over NHWC inputs on oneDNN (``ConvolutionPlan``):
/// one fused forward (convolution, bias, ReLU), the weight and bias
/// gradients in one kernel, and the input gradient.
///
/// Kernel shape `(kh, kw, cin, filters)` and bias `(filters)` as in Keras;
/// Glorot-uniform kernel and zero bias.
///
/// ```swift
/// let conv = try Conv2D(filters: 32, kernelSize: (3, 3), padding: .same, activation: .relu)
/// ```
public final class Conv2D: UnaryLayer {
    public let typeName = "Conv2D"
    public var name: String
    public var trainable = true
    public private(set) var parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    public let filters: Int
    public let kernelSize: (height: Int, width: Int)
    public let strides: (y: Int, x: Int)
    public let padding: Padding
    public let activation: ActivationFunction
    public let useBias: Bool

    private(set) var geometry: WindowGeometry?
    private var inputShape: [Int] = []
    private var plan: ConvolutionPlan?
    private var reluBackward: ReLUBackwardPlan?
    private let output = ScratchBuffer()
    private let gradPre = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var lastInput: UnsafePointer<Float>?

    /// Throws when `filters`, kernel or strides are not positive.
    public init(filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
                padding: Padding = .valid, activation: ActivationFunction = .linear,
                useBias: Bool = true, name: String = "") throws {
        try require(filters > 0, "filters", filters, "must be positive")
        try require(kernelSize.0 > 0 && kernelSize.1 > 0, "kernelSize", kernelSize, "must be positive")
        try require(strides.0 > 0 && strides.1 > 0, "strides", strides, "must be positive")
        try activation.validate()
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.activation = activation
        self.useBias = useBias
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "Conv2D needs (height, width, channels)")
        }
        if geometry != nil {
            guard inputShape == self.inputShape else {
                throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "already built for \(self.inputShape)")
            }
            return outputShape
        }
        let g = WindowGeometry(input: (inputShape[0], inputShape[1], inputShape[2]),
                               window: kernelSize, strides: strides, padding: padding)
        guard g.outputHeight > 0, g.outputWidth > 0 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "kernel \(kernelSize) larger than the input")
        }
        let channels = inputShape[2]
        let count = g.patchSize * filters
        parameters = [Parameter(
            name: "kernel", shape: [kernelSize.height, kernelSize.width, channels, filters],
            initialValues: Initializer.glorotUniform(
                count: count, fanIn: g.patchSize, fanOut: kernelSize.height * kernelSize.width * filters,
                key: Initializer.key(seed: seed, parameterIndex: 0)))]
        if useBias {
            parameters.append(Parameter(name: "bias", shape: [filters], initialValues: .init(repeating: 0, count: filters)))
        }
        geometry = g
        self.inputShape = inputShape
        outputShape = [g.outputHeight, g.outputWidth, filters]
        return outputShape
    }

    /// The plan for `batch` samples (rebuilt when the batch size changes;
    /// oneDNN caches the compiled kernels).
    private func plan(batch: Int) -> ConvolutionPlan {
        if let plan, plan.batch == batch { return plan }
        let made = ConvolutionPlan(geometry: geometry!, filters: filters, batch: batch, bias: useBias, relu: activation == .relu)
        plan = made
        return made
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let count = batch * geometry!.outputPixels * filters
        let out = output.reserve(count)
        plan(batch: batch).forward(input, kernel: parameters[0].value.pointer,
                                   bias: useBias ? UnsafePointer(parameters[1].value.pointer) : nil, into: out)
        if activation != .relu { activation.apply(out, count: count, width: filters) }
        lastInput = input
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let count = batch * geometry!.outputPixels * filters
        let grad: UnsafePointer<Float>
        if activation == .relu {
            if reluBackward?.count != count { reluBackward = ReLUBackwardPlan(count: count) }
            let pre = gradPre.reserve(count)
            reluBackward!.run(output: output.pointer, gradOutput: gradOutput, into: pre)
            grad = UnsafePointer(pre)
        } else {
            grad = Conv2D.preActivationGradient(gradOutput, activation: activation, output: output.pointer,
                                                count: count, width: filters, scratch: gradPre)
        }
        return backward(preActivationGradient: grad, batch: batch, needsInputGradient: needsInputGradient)
    }

    /// The backward pass from d(loss)/d(pre-activation), when the layer
    /// above has applied the activation's derivative already.
    func backward(preActivationGradient grad: UnsafePointer<Float>, batch: Int,
                  needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let g = geometry!
        let plan = plan(batch: batch)
        plan.weightGradients(input: lastInput!, gradOutput: grad, kernel: parameters[0].gradient.pointer,
                             bias: useBias ? parameters[1].gradient.pointer : nil)
        guard needsInputGradient else { return nil }
        let dInput = gradInput.reserve(batch * g.inputSize)
        plan.inputGradient(grad, kernel: parameters[0].value.pointer, into: dInput)
        return UnsafePointer(dInput)
    }

    /// d loss / d pre-activation: the incoming gradient itself for a linear
    /// activation, else the incoming gradient times the derivative, in `scratch`.
    static func preActivationGradient(_ gradOutput: UnsafePointer<Float>, activation: ActivationFunction,
                                      output: UnsafePointer<Float>, count: Int, width: Int,
                                      scratch: ScratchBuffer) -> UnsafePointer<Float> {
        if activation == .linear { return gradOutput }
        let grad = scratch.reserve(count)
        activation.backward(output: output, gradOutput: gradOutput, into: grad, count: count, width: width)
        return UnsafePointer(grad)
    }
}
