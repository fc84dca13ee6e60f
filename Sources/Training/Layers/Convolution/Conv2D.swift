/// A 2-D convolution over NHWC inputs on oneDNN (`ConvolutionPlan`):
/// one fused forward (convolution, bias, ReLU), the weight and bias
/// gradients in one kernel, and the input gradient. Keras's `Conv2D`, with
/// its `dilation_rate` and `groups`.
///
/// Kernel shape `(kh, kw, cin / groups, filters)` and bias `(filters)` as in
/// Keras; Glorot-uniform kernel and zero bias.
///
/// ```swift
/// let conv = try Conv2D(filters: 32, kernelSize: (3, 3), padding: .same, activation: .relu)
/// let dilated = try Conv2D(filters: 8, kernelSize: (3, 3), dilationRate: (2, 2))
/// let grouped = try Conv2D(filters: 8, kernelSize: (3, 3), groups: 4)   // input channels divisible by 4
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
    /// Keras's `dilation_rate`: the step between kernel taps.
    public let dilationRate: (y: Int, x: Int)
    /// Keras's `groups`: input channels and filters split into this many
    /// independent convolutions.
    public let groups: Int
    public let activation: ActivationFunction
    public let useBias: Bool

    private var passes: ConvolutionPasses?
    private var inputShape: [Int] = []

    /// Throws when `filters`, kernel, strides, dilation or groups are not
    /// positive, when `groups` does not divide `filters`, or when dilation
    /// meets strides > 1 (Keras refuses both).
    public init(filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
                padding: Padding = .valid, dilationRate: (Int, Int) = (1, 1), groups: Int = 1,
                activation: ActivationFunction = .linear, useBias: Bool = true, name: String = "") throws {
        try require(filters > 0, "filters", filters, "must be positive")
        try ConvolutionArguments.validate(kernelSize: kernelSize, strides: strides, dilationRate: dilationRate)
        try require(max(strides.0, strides.1) == 1 || max(dilationRate.0, dilationRate.1) == 1, "dilationRate",
                    dilationRate, "cannot exceed 1 together with strides \(strides) > 1 (Keras refuses it too)")
        try require(groups > 0, "groups", groups, "must be positive")
        try require(filters % groups == 0, "groups", groups, "must divide filters (\(filters))")
        try activation.validate()
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.dilationRate = dilationRate
        self.groups = groups
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
        guard image.channels % groups == 0 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape,
                                                  reason: "\(image.channels) input channels do not split into \(groups) groups")
        }
        let g = WindowGeometry(input: image, window: kernelSize, strides: strides, padding: padding, dilation: dilationRate)
        try ConvolutionArguments.requireOutput(g, inputShape: inputShape, layer: name)
        parameters = [try ConvolutionArguments.glorotKernel(
            layer: name, name: "kernel", shape: [kernelSize.height, kernelSize.width, image.channels / groups, filters],
            seed: seed, parameterIndex: 0)]
        if useBias { parameters.append(ConvolutionArguments.zeroBias(filters)) }
        passes = ConvolutionPasses(geometry: g, filters: filters, groups: groups, activation: activation)
        self.inputShape = inputShape
        outputShape = [g.outputHeight, g.outputWidth, filters]
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        passes!.forward(input, kernel: parameters[0], bias: useBias ? parameters[1] : nil, batch: batch, context: context)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let grad = passes!.preActivationGradient(gradOutput, batch: batch)
        return backward(preActivationGradient: grad, batch: batch, needsInputGradient: needsInputGradient)
    }

    /// The backward pass from d(loss)/d(pre-activation), when the layer
    /// above has applied the activation's derivative already.
    func backward(preActivationGradient grad: UnsafePointer<Float>, batch: Int,
                  needsInputGradient: Bool) -> UnsafePointer<Float>? {
        passes!.backward(preActivationGradient: grad, kernel: parameters[0], bias: useBias ? parameters[1] : nil,
                         batch: batch, needsInputGradient: needsInputGradient)
    }
}
