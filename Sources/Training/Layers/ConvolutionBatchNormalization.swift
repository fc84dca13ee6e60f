import Synchronization

/// A linear convolution (``Conv2D`` or ``DepthwiseConv2D``) followed by a
/// ``BatchNormalization`` that uses its moving statistics (inference, or a
/// frozen base), run as one oneDNN convolution whose kernel and bias absorb
/// the normalisation:
/// `kernel′[…, f] = kernel[…, f] · s[f]`, `bias′[f] = (bias[f] − mean[f]) · s[f] + beta[f]`
/// with `s = gamma / √(variance + ε)`. What follows the normalisation can ride
/// along as oneDNN post-ops: an ``Add`` of a residual (the output buffer is
/// filled with the residual and the convolution adds into it) and a ReLU or
/// ReLU6. The graph engine uses it in place of the layers' passes when nothing
/// needs their gradients. A ``ZeroPadding2D`` in front becomes the
/// convolution's own padding (`padding`): the chain then reads the unpadded
/// input, and oneDNN's separate leading and trailing pads do the rest. The folded weights are recomputed from the layers'
/// parameters once per pass of the model (``WeightGeneration``), so training
/// and loading weights never leave them stale.
final class ConvolutionBatchNormalization {
    let convolution: any FoldableConvolution
    let normalization: BatchNormalization
    let activation: ConvolutionPlan.FusedActivation
    let addsResidual: Bool
    /// The convolution's geometry over the chain's input (the padding's input when one is folded in).
    let geometry: WindowGeometry
    private var plan: ConvolutionPlan?
    private let kernel = ScratchBuffer()
    private let bias = ScratchBuffer()
    private let output = ScratchBuffer()
    private var foldedGeneration = -1

    /// Nil unless the convolution is linear and built, and the normalisation
    /// normalises its output channels. `padding`: the margins of a
    /// ``ZeroPadding2D`` whose output the convolution reads, folded into it.
    init?(_ convolution: any FoldableConvolution, _ normalization: BatchNormalization,
          activation: ConvolutionPlan.FusedActivation = .none, addsResidual: Bool = false, padding: Margins2D? = nil) {
        guard convolution.activation == .linear, let g = convolution.geometry,
              normalization.parameters.count == 4,
              normalization.parameters[0].count == convolution.outputChannels else { return nil }
        guard let geometry = padding.map({ g.absorbing($0) }) ?? g else { return nil }
        self.geometry = geometry
        self.convolution = convolution
        self.normalization = normalization
        self.activation = activation
        self.addsResidual = addsResidual
    }

    /// The chain's output for `batch` samples; `residual` (the Add's other
    /// input) when the chain adds one.
    func forward(_ input: UnsafePointer<Float>, residual: UnsafePointer<Float>?, batch: Int,
                 context: ForwardContext) -> UnsafePointer<Float> {
        if foldedGeneration != WeightGeneration.current {
            fold()
            foldedGeneration = WeightGeneration.current
        }
        let count = batch * geometry.outputPixels * convolution.outputChannels
        let out = context.output(count, else: output)
        if addsResidual { out.update(from: residual!, count: count) }
        plan(batch: batch).forward(input, kernel: kernel.pointer, bias: UnsafePointer(bias.pointer), into: out,
                                   kernelVersion: foldedGeneration)
        return UnsafePointer(out)
    }

    /// The folded kernel and bias from the layers' current parameters.
    private func fold() {
        let filters = convolution.outputChannels
        let p = normalization.parameters
        let gamma = p[0].value.pointer, beta = p[1].value.pointer
        let mean = p[2].value.pointer, variance = p[3].value.pointer
        let source = convolution.parameters[0]
        let count = source.count
        let weights = UnsafePointer(source.value.pointer)
        let shifts = convolution.useBias ? UnsafePointer(convolution.parameters[1].value.pointer) : nil
        let k = kernel.reserve(count), b = bias.reserve(filters)
        let epsilon = normalization.epsilon
        let scales = bias.pointer  // the scales first, then the biases over them
        for f in 0..<filters { scales[f] = gamma[f] / (variance[f] + epsilon).squareRoot() }
        // The kernel's last axis is the output channel (HWIO, grouped or depthwise alike).
        var i = 0
        while i < count {
            for f in 0..<filters { k[i + f] = weights[i + f] * scales[f] }
            i += filters
        }
        for f in 0..<filters { b[f] = ((shifts?[f] ?? 0) - mean[f]) * scales[f] + beta[f] }
    }

    /// The plan for `batch` samples (rebuilt when the batch size changes).
    private func plan(batch: Int) -> ConvolutionPlan {
        if let plan, plan.batch == batch { return plan }
        let made = ConvolutionPlan(geometry: geometry, filters: convolution.outputChannels, batch: batch,
                                   bias: true, activation: activation, addsOutput: addsResidual,
                                   groups: convolution.groupCount)
        plan = made
        return made
    }
}

extension WindowGeometry {
    /// The same windows over the input of a ``ZeroPadding2D`` of `margins`
    /// whose output this geometry reads: the margins join the leading and
    /// trailing pads. Nil when a pad would reach a window's span (a window
    /// wholly in padding), which oneDNN's fast kernels do not take.
    func absorbing(_ margins: Margins2D) -> WindowGeometry? {
        let folded = WindowGeometry(
            input: (inputHeight - margins.top - margins.bottom, inputWidth - margins.left - margins.right, channels),
            window: (windowHeight, windowWidth), strides: (strideY, strideX), dilation: (dilationY, dilationX),
            padBefore: (padTop + margins.top, padLeft + margins.left), output: (outputHeight, outputWidth))
        let pads = folded.oneDNN(batch: 1, outputChannels: 1)
        guard max(pads.pad_top, pads.pad_bottom) < spanHeight, max(pads.pad_left, pads.pad_right) < spanWidth else { return nil }
        return folded
    }
}

/// A convolution layer whose kernel's last axis is its output channels, so a
/// following normalisation folds into it (``ConvolutionBatchNormalization``).
protocol FoldableConvolution: Layer {
    var geometry: WindowGeometry? { get }
    var outputChannels: Int { get }
    var groupCount: Int { get }
    var activation: ActivationFunction { get }
    var useBias: Bool { get }
}

extension Conv2D: FoldableConvolution {
    var outputChannels: Int { filters }
    var groupCount: Int { groups }
}

extension DepthwiseConv2D: FoldableConvolution {
    var outputChannels: Int { (geometry?.channels ?? 0) * depthMultiplier }
    var groupCount: Int { geometry?.channels ?? 1 }
}

/// A process-wide count of the model passes that may follow a change of
/// weights. Folded weights (``ConvolutionBatchNormalization``) are refolded
/// when it has moved: every top-level forward pass advances it, except the
/// later sub-batches of one `predict` call (the weights cannot change within
/// it). Another model's pass advancing it only costs a refold.
enum WeightGeneration {
    private static let counter = Atomic<Int>(0)

    static var current: Int { counter.load(ordering: .relaxed) }

    static func advance() { counter.add(1, ordering: .relaxed) }
}
