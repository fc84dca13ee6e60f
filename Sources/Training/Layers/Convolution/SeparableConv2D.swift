/// Keras's `SeparableConv2D`: a depthwise convolution (each input channel
/// with its own `depthMultiplier` filters, no bias) followed by a pointwise
/// 1×1 convolution to `filters` channels with the bias and activation, both
/// on oneDNN.
///
/// Weights in Keras's order: `depthwise_kernel` `(kh, kw, cin, depthMultiplier)`,
/// `pointwise_kernel` `(1, 1, cin · depthMultiplier, filters)`, `bias`
/// `(filters)`; Glorot-uniform kernels and zero bias.
///
/// ```swift
/// let separable = try SeparableConv2D(filters: 32, kernelSize: (3, 3), padding: .same, activation: .relu)
/// ```
public final class SeparableConv2D: UnaryLayer {
    public let typeName = "SeparableConv2D"
    public var name: String
    public var trainable = true
    public private(set) var parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    public let filters: Int
    public let kernelSize: (height: Int, width: Int)
    public let strides: (y: Int, x: Int)
    public let padding: Padding
    /// Keras's `depth_multiplier`: depthwise output channels per input channel.
    public let depthMultiplier: Int
    /// Keras's `dilation_rate` of the depthwise convolution.
    public let dilationRate: (y: Int, x: Int)
    public let activation: ActivationFunction
    public let useBias: Bool

    private var depthwise: ConvolutionPasses?
    private var pointwise: ConvolutionPasses?
    private var inputShape: [Int] = []

    /// Throws when `filters`, kernel, strides, dilation or `depthMultiplier`
    /// are not positive (dilation with strides > 1 is allowed, as in Keras).
    public init(filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
                depthMultiplier: Int = 1, dilationRate: (Int, Int) = (1, 1),
                activation: ActivationFunction = .linear, useBias: Bool = true, name: String = "") throws {
        try require(filters > 0, "filters", filters, "must be positive")
        try ConvolutionArguments.validate(kernelSize: kernelSize, strides: strides, dilationRate: dilationRate)
        try require(depthMultiplier > 0, "depthMultiplier", depthMultiplier, "must be positive")
        try activation.validate()
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.depthMultiplier = depthMultiplier
        self.dilationRate = dilationRate
        self.activation = activation
        self.useBias = useBias
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        let image = try ConvolutionArguments.image(inputShape, layer: name, typeName: typeName)
        if depthwise != nil {
            guard inputShape == self.inputShape else {
                throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "already built for \(self.inputShape)")
            }
            return outputShape
        }
        let g = WindowGeometry(input: image, window: kernelSize, strides: strides, padding: padding, dilation: dilationRate)
        try ConvolutionArguments.requireOutput(g, inputShape: inputShape, layer: name)
        let middle = image.channels * depthMultiplier
        let point = WindowGeometry(input: (g.outputHeight, g.outputWidth, middle), window: (1, 1),
                                   strides: (1, 1), padding: .valid)
        parameters = [
            try ConvolutionArguments.glorotKernel(layer: name, name: "depthwise_kernel",
                                              shape: [kernelSize.height, kernelSize.width, image.channels, depthMultiplier],
                                              seed: seed, parameterIndex: 0),
            try ConvolutionArguments.glorotKernel(layer: name, name: "pointwise_kernel", shape: [1, 1, middle, filters],
                                              seed: seed, parameterIndex: 1),
        ]
        if useBias { parameters.append(ConvolutionArguments.zeroBias(filters)) }
        depthwise = ConvolutionPasses(geometry: g, filters: middle, groups: image.channels, activation: .linear)
        pointwise = ConvolutionPasses(geometry: point, filters: filters, groups: 1, activation: activation)
        self.inputShape = inputShape
        outputShape = [g.outputHeight, g.outputWidth, filters]
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let middle = depthwise!.forward(input, kernel: parameters[0], bias: nil, batch: batch, context: context)
        return pointwise!.forward(middle, kernel: parameters[1], bias: useBias ? parameters[2] : nil, batch: batch,
                                  context: context)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let grad = pointwise!.preActivationGradient(gradOutput, batch: batch)
        let gradMiddle = pointwise!.backward(preActivationGradient: grad, kernel: parameters[1],
                                             bias: useBias ? parameters[2] : nil, batch: batch, needsInputGradient: true)!
        return depthwise!.backward(preActivationGradient: gradMiddle, kernel: parameters[0], bias: nil,
                                   batch: batch, needsInputGradient: needsInputGradient)
    }
}
