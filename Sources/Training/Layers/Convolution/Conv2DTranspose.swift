/// Keras's `Conv2DTranspose`: the transpose of a strided convolution (an
/// upsampling convolution). It runs as oneDNN's input gradient of the
/// convolution it transposes, whose HWIO kernel is Keras's transposed
/// kernel as stored; bias and activation follow.
///
/// Kernel `(kh, kw, filters, cin)` and bias `(filters)` as Keras stores them;
/// Glorot-uniform kernel (Keras's fans of that shape) and zero bias. Output
/// extent per axis, as Keras computes it: `valid`: `(in - 1) · stride + k +
/// outputPadding` (default `max(k, stride) - k`); `same`: `in · stride`, or
/// `(in - 1) · stride + k % 2 + outputPadding` when given. Dilation is not
/// offered (TensorFlow's CPU kernel has none either).
///
/// ```swift
/// let up = try Conv2DTranspose(filters: 16, kernelSize: (3, 3), strides: (2, 2), padding: .same)
/// // (7, 7, 32) → (14, 14, 16)
/// ```
public final class Conv2DTranspose: UnaryLayer {
    public let typeName = "Conv2DTranspose"
    public var name: String
    public var trainable = true
    public private(set) var parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    public let filters: Int
    public let kernelSize: (height: Int, width: Int)
    public let strides: (y: Int, x: Int)
    public let padding: Padding
    /// Keras's `output_padding`: extra rows and columns at the bottom and
    /// right (each below its stride); nil for Keras's default.
    public let outputPadding: (y: Int, x: Int)?
    public let activation: ActivationFunction
    public let useBias: Bool

    /// The convolution this layer transposes: its input is our output.
    private var convolution: WindowGeometry?
    private var inputShape: [Int] = []
    private var plan: ConvolutionPlan?
    private let output = ScratchBuffer()
    private let preActivation = ScratchBuffer()
    private let gradPre = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var lastInput: UnsafePointer<Float>?

    /// Throws when `filters`, kernel or strides are not positive, or when
    /// `outputPadding` is negative or not below the strides (as Keras).
    public init(filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                outputPadding: (Int, Int)? = nil, activation: ActivationFunction = .linear,
                useBias: Bool = true, name: String = "") throws {
        try require(filters > 0, "filters", filters, "must be positive")
        try ConvolutionArguments.requirePositive(kernelSize, "kernelSize")
        try ConvolutionArguments.requirePositive(strides, "strides")
        if let outputPadding {
            try require(outputPadding.0 >= 0 && outputPadding.1 >= 0 && outputPadding.0 < strides.0
                            && outputPadding.1 < strides.1,
                        "outputPadding", outputPadding, "must be at least 0 and below strides \(strides)")
        }
        try activation.validate()
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.outputPadding = outputPadding
        self.activation = activation
        self.useBias = useBias
        self.name = name
    }

    /// Output extent and leading crop along one axis (TensorFlow's padding
    /// of the convolution that maps the output back to the input).
    private func axis(input: Int, kernel: Int, stride: Int, outputPadding: Int?) -> (extent: Int, padBefore: Int) {
        switch padding {
        case .valid:
            return ((input - 1) * stride + kernel + (outputPadding ?? max(kernel, stride) - kernel), 0)
        case .same:
            let extent = outputPadding.map { (input - 1) * stride + kernel % 2 + $0 } ?? input * stride
            return (extent, max((input - 1) * stride + kernel - extent, 0) / 2)
        }
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        let image = try ConvolutionArguments.image(inputShape, layer: name, typeName: typeName)
        if convolution != nil {
            guard inputShape == self.inputShape else {
                throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "already built for \(self.inputShape)")
            }
            return outputShape
        }
        let rows = axis(input: image.height, kernel: kernelSize.height, stride: strides.y, outputPadding: outputPadding?.y)
        let cols = axis(input: image.width, kernel: kernelSize.width, stride: strides.x, outputPadding: outputPadding?.x)
        guard rows.extent > 0, cols.extent > 0 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "empty output \(rows.extent)×\(cols.extent)")
        }
        convolution = WindowGeometry(input: (rows.extent, cols.extent, filters), window: kernelSize, strides: strides,
                                     dilation: (1, 1), padBefore: (rows.padBefore, cols.padBefore),
                                     output: (image.height, image.width))
        parameters = [try ConvolutionArguments.glorotKernel(
            layer: name, name: "kernel", shape: [kernelSize.height, kernelSize.width, filters, image.channels], seed: seed, parameterIndex: 0)]
        if useBias { parameters.append(ConvolutionArguments.zeroBias(filters)) }
        self.inputShape = inputShape
        outputShape = [rows.extent, cols.extent, filters]
        return outputShape
    }

    /// The transposed convolution's plan for `batch` samples: `cin` filters
    /// over our output's extent, no bias.
    private func plan(batch: Int) -> ConvolutionPlan {
        if let plan, plan.batch == batch { return plan }
        let made = ConvolutionPlan(geometry: convolution!, filters: inputShape[2], batch: batch, bias: false, relu: false)
        plan = made
        return made
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let rows = batch * convolution!.inputHeight * convolution!.inputWidth
        let out = context.output(rows * filters, else: output)
        plan(batch: batch).inputGradient(input, kernel: parameters[0].value.pointer, into: out)
        if useBias { VectorKernels.addRows(parameters[1].value.pointer, to: out, rows: rows, width: filters) }
        if activation.derivativeNeedsInput { preActivation.reserve(rows * filters).update(from: out, count: rows * filters) }
        activation.apply(out, count: rows * filters, width: filters)
        lastInput = input
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let rows = batch * convolution!.inputHeight * convolution!.inputWidth
        let grad = activation.gradient(input: activation.derivativeNeedsInput ? preActivation.pointer : nil,
                                       output: output.pointer, gradOutput: gradOutput, count: rows * filters,
                                       width: filters, scratch: gradPre)
        let plan = plan(batch: batch)
        plan.weightGradients(input: grad, gradOutput: lastInput!, kernel: parameters[0].gradient.pointer, bias: nil)
        if useBias { VectorKernels.columnSums(grad, rows: rows, width: filters, into: parameters[1].gradient.pointer) }
        guard needsInputGradient else { return nil }
        let dInput = gradInput.reserve(batch * inputShape.reduce(1, *))
        plan.forward(grad, kernel: parameters[0].value.pointer, bias: nil, into: dInput)
        return UnsafePointer(dInput)
    }
}
