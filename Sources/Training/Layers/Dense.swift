/// A fully connected layer: `activation(x · kernel + bias)` over the last
/// axis of `(features)` inputs, kernel `(features, units)`.
///
/// ```swift
/// let head = try Dense(units: 10, activation: .softmax)
/// ```
public final class Dense: UnaryLayer, LogitsOutput {
    public let typeName = "Dense"
    public var name: String
    public var trainable = true
    public private(set) var parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    public let units: Int
    public let activation: ActivationFunction
    public let useBias: Bool

    private var inputShape: [Int] = []
    private var features = 0
    private let output = ScratchBuffer()
    private let preActivation = ScratchBuffer()
    private let gradPre = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var lastInput: UnsafePointer<Float>?

    /// Throws when `units` is not positive.
    public init(units: Int, activation: ActivationFunction = .linear, useBias: Bool = true, name: String = "") throws {
        try require(units > 0, "units", units, "must be positive")
        try activation.validate()
        self.units = units
        self.activation = activation
        self.useBias = useBias
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 1 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "Dense needs a flat (features) input; add Flatten")
        }
        if features != 0 {
            guard inputShape == self.inputShape else {
                throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "already built for \(self.inputShape)")
            }
            return outputShape
        }
        try Parameter.checkMemory(layer: name, name: "kernel", shape: [inputShape[0], units])
        features = inputShape[0]
        parameters = [Parameter(
            name: "kernel", shape: [features, units],
            initializer: { [features, units] in
                Initializer.glorotUniform(count: features * units, fanIn: features, fanOut: units,
                                          key: Initializer.key(seed: seed, parameterIndex: 0))
            })]
        if useBias {
            parameters.append(Parameter(name: "bias", shape: [units], initialValues: .init(repeating: 0, count: units)))
        }
        self.inputShape = inputShape
        outputShape = [units]
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let out = context.output(batch * units, else: output)
        if useBias { VectorKernels.fillRows(parameters[1].value.pointer, into: out, rows: batch, width: units) }
        Gemm.multiply(m: batch, n: units, k: features, a: input, lda: features,
                      b: parameters[0].value.pointer, ldb: units, beta: useBias ? 1 : 0, c: out, ldc: units)
        if activation.keepsLogits || activation.derivativeNeedsInput { preActivation.reserve(batch * units).update(from: out, count: batch * units) }
        activation.apply(out, count: batch * units, width: units)
        lastInput = input
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let grad = activation.gradient(input: preActivation.pointer, output: output.pointer, gradOutput: gradOutput,
                                       count: batch * units, width: units, scratch: gradPre)
        return backward(logitsGradient: grad, batch: batch, needsInputGradient: needsInputGradient)
    }

    var outputActivation: ActivationFunction { activation }
    var logits: UnsafePointer<Float> { UnsafePointer(preActivation.pointer) }

    func backward(logitsGradient grad: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        Gemm.multiply(transposeA: true, m: features, n: units, k: batch, a: lastInput!, lda: features,
                      b: grad, ldb: units, c: parameters[0].gradient.pointer, ldc: units)
        if useBias { VectorKernels.columnSums(grad, rows: batch, width: units, into: parameters[1].gradient.pointer) }
        guard needsInputGradient else { return nil }
        let dInput = gradInput.reserve(batch * features)
        Gemm.multiply(transposeB: true, m: batch, n: features, k: units, a: grad, lda: units,
                      b: parameters[0].value.pointer, ldb: units, c: dInput, ldc: features)
        return UnsafePointer(dInput)
    }
}
