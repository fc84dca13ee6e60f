/// Keras's `DepthwiseConv2D`: each input channel convolved with its own
/// `depthMultiplier` filters, on oneDNN's grouped convolution (one group per
/// channel). Output channel `c · depthMultiplier + m` comes from input channel `c`.
///
/// Kernel `(kh, kw, cin, depthMultiplier)` named `kernel` and bias
/// `(cin · depthMultiplier)` named `bias`, as Keras 3 stores them;
/// Glorot-uniform kernel and zero bias.
///
/// ```swift
/// let depthwise = try DepthwiseConv2D(kernelSize: (3, 3), padding: .same, activation: .relu)
/// ```
public final class DepthwiseConv2D: UnaryLayer {
    public let typeName = "DepthwiseConv2D"
    public var name: String
    public var trainable = true
    public private(set) var parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    public let kernelSize: (height: Int, width: Int)
    public let strides: (y: Int, x: Int)
    public let padding: Padding
    /// Keras's `depth_multiplier`: output channels per input channel.
    public let depthMultiplier: Int
    /// Keras's `dilation_rate`: the step between kernel taps.
    public let dilationRate: (y: Int, x: Int)
    public let activation: ActivationFunction
    public let useBias: Bool

    private var passes: ConvolutionPasses?
    private var inputShape: [Int] = []

    /// Throws when kernel, strides, dilation or `depthMultiplier` are not
    /// positive (dilation with strides > 1 is allowed, as in Keras).
    public init(kernelSize: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                depthMultiplier: Int = 1, dilationRate: (Int, Int) = (1, 1),
                activation: ActivationFunction = .linear, useBias: Bool = true, name: String = "") throws {
        try ConvolutionArguments.validate(kernelSize: kernelSize, strides: strides, dilationRate: dilationRate)
        try require(depthMultiplier > 0, "depthMultiplier", depthMultiplier, "must be positive")
        try activation.validate()
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.depthMultiplier = depthMultiplier
        self.dilationRate = dilationRate
        self.activation = activation
        self.useBias = useBias
        self.name = name
    }

    /// The window geometry, once built.
    var geometry: WindowGeometry? { passes?.geometry }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        let image = try ConvolutionArguments.image(inputShape, layer: name, typeName: typeName)
        if passes != nil {
            guard inputShape == self.inputShape else {
                throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "already built for \(self.inputShape)")
            }
            return outputShape
        }
        let g = WindowGeometry(input: image, window: kernelSize, strides: strides, padding: padding, dilation: dilationRate)
        try ConvolutionArguments.requireOutput(g, inputShape: inputShape, layer: name)
        let filters = image.channels * depthMultiplier
        // (kh, kw, cin, m) is the grouped HWIO kernel (kh, kw, 1, cin · m): the same buffer.
        parameters = [try ConvolutionArguments.glorotKernel(
            layer: name, name: "kernel", shape: [kernelSize.height, kernelSize.width, image.channels, depthMultiplier],
            seed: seed, parameterIndex: 0)]
        if useBias { parameters.append(ConvolutionArguments.zeroBias(filters)) }
        passes = ConvolutionPasses(geometry: g, filters: filters, groups: image.channels, activation: activation)
        self.inputShape = inputShape
        outputShape = [g.outputHeight, g.outputWidth, filters]
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        passes!.forward(input, kernel: parameters[0], bias: useBias ? parameters[1] : nil, batch: batch, context: context)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let grad = passes!.preActivationGradient(gradOutput, batch: batch)
        return passes!.backward(preActivationGradient: grad, kernel: parameters[0], bias: useBias ? parameters[1] : nil,
                                batch: batch, needsInputGradient: needsInputGradient)
    }
}
