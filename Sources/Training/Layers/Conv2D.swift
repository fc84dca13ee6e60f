/// A 2-D convolution over NHWC inputs, lowered to im2col + one `sgemm` per
/// batch (forward and both backward products).
///
/// Kernel shape `(kh, kw, cin, filters)` and bias `(filters)` as in Keras;
/// Glorot-uniform kernel and zero bias.
///
/// ```swift
/// let conv = try Conv2D(filters: 32, kernelSize: (3, 3), padding: .same, activation: .relu)
/// ```
public final class Conv2D: Layer {
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

    private var geometry: WindowGeometry?
    private var inputShape: [Int] = []
    private let columns = ScratchBuffer()
    private let output = ScratchBuffer()
    private let gradPre = ScratchBuffer()
    private let gradInput = ScratchBuffer()

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

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let g = geometry!
        let rows = batch * g.outputPixels
        let out = output.reserve(rows * filters)
        let cols = columns.reserve(rows * g.patchSize)
        g.im2col(input, batch: batch, into: cols)
        if useBias {
            let bias = parameters[1].value.pointer
            ParallelChunks.run(count: rows, work: rows * filters) { chunk in
                VectorKernels.fillRows(bias, into: out + chunk.lowerBound * filters, rows: chunk.count, width: filters)
            }
        }
        Gemm.multiply(m: rows, n: filters, k: g.patchSize,
                      a: cols, lda: g.patchSize, b: parameters[0].value.pointer, ldb: filters,
                      beta: useBias ? 1 : 0, c: out, ldc: filters)
        activation.apply(out, count: rows * filters, width: filters)
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let g = geometry!
        let rows = batch * g.outputPixels
        let grad = Conv2D.preActivationGradient(gradOutput, activation: activation, output: output.pointer,
                                                count: rows * filters, width: filters, scratch: gradPre)
        let cols = columns.pointer
        Gemm.multiply(transposeA: true, m: g.patchSize, n: filters, k: rows,
                      a: cols, lda: g.patchSize, b: grad, ldb: filters,
                      c: parameters[0].gradient.pointer, ldc: filters)
        if useBias { VectorKernels.columnSums(grad, rows: rows, width: filters, into: parameters[1].gradient.pointer) }
        guard needsInputGradient else { return nil }
        // The columns are no longer needed: reuse them for d(columns).
        Gemm.multiply(transposeB: true, m: rows, n: g.patchSize, k: filters,
                      a: grad, lda: filters, b: parameters[0].value.pointer, ldb: filters,
                      c: cols, ldc: g.patchSize)
        let dInput = gradInput.reserve(batch * g.inputSize)
        g.col2im(cols, batch: batch, into: dInput)
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
