/// The passes of one convolution and its activation on oneDNN
/// (``ConvolutionPlan``), for the layers built on it (``Conv2D``,
/// ``DepthwiseConv2D``, ``SeparableConv2D``): the forward with bias and ReLU
/// fused, the activation's backward, the kernel and bias gradients
/// (overwritten) and the input gradient. The layer owns the parameters.
final class ConvolutionPasses {
    let geometry: WindowGeometry
    let filters: Int
    let groups: Int
    let activation: ActivationFunction
    private var plan: ConvolutionPlan?
    private var reluBackward: ReLUBackwardPlan?
    private let output = ScratchBuffer()
    /// The pre-activation values, kept for activations whose derivative needs them (gelu, silu...).
    private let preActivation = ScratchBuffer()
    private let gradPre = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var lastInput: UnsafePointer<Float>?

    init(geometry: WindowGeometry, filters: Int, groups: Int, activation: ActivationFunction) {
        self.geometry = geometry
        self.filters = filters
        self.groups = groups
        self.activation = activation
    }

    /// Elements of one output sample.
    var outputSize: Int { geometry.outputPixels * filters }

    /// The plan for `batch` samples (rebuilt when the batch size changes;
    /// oneDNN caches the compiled kernels).
    private func plan(batch: Int, bias: Bool) -> ConvolutionPlan {
        if let plan, plan.batch == batch { return plan }
        let made = ConvolutionPlan(geometry: geometry, filters: filters, batch: batch, bias: bias,
                                   relu: activation == .relu, groups: groups)
        plan = made
        return made
    }

    /// `activation(conv(input, kernel) + bias)` for `batch` samples; keeps
    /// `input` for the backward pass.
    func forward(_ input: UnsafePointer<Float>, kernel: Parameter, bias: Parameter?, batch: Int,
                 context: ForwardContext) -> UnsafePointer<Float> {
        let count = batch * outputSize
        let out = context.output(count, else: output)
        // Within a graph pass the kernel cannot change before the next pass: reorder it once per pass.
        plan(batch: batch, bias: bias != nil).forward(input, kernel: kernel.value.pointer,
                                                      bias: bias.map { UnsafePointer($0.value.pointer) }, into: out,
                                                      kernelVersion: context.foldsAreCurrent ? WeightGeneration.current : nil)
        if activation.derivativeNeedsInput { preActivation.reserve(count).update(from: out, count: count) }
        if activation != .relu { activation.apply(out, count: count, width: filters) }
        lastInput = input
        return UnsafePointer(out)
    }

    /// d(loss)/d(pre-activation) from d(loss)/d(output) of the last forward.
    func preActivationGradient(_ gradOutput: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let count = batch * outputSize
        guard activation == .relu else {
            return activation.gradient(input: activation.derivativeNeedsInput ? preActivation.pointer : nil,
                                       output: output.pointer, gradOutput: gradOutput, count: count,
                                       width: filters, scratch: gradPre)
        }
        if reluBackward?.count != count { reluBackward = ReLUBackwardPlan(count: count) }
        let pre = gradPre.reserve(count)
        reluBackward!.run(output: output.pointer, gradOutput: gradOutput, into: pre)
        return UnsafePointer(pre)
    }

    /// Stores the kernel and bias gradients from d(loss)/d(pre-activation)
    /// and returns d(loss)/d(input) when asked for.
    func backward(preActivationGradient grad: UnsafePointer<Float>, kernel: Parameter, bias: Parameter?,
                  batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        let plan = plan(batch: batch, bias: bias != nil)
        plan.weightGradients(input: lastInput!, gradOutput: grad, kernel: kernel.gradient.pointer,
                             bias: bias?.gradient.pointer)
        guard needsInputGradient else { return nil }
        let dInput = BackwardArena.gradient(batch * geometry.inputSize, else: gradInput)
        plan.inputGradient(grad, kernel: kernel.value.pointer, into: dInput)
        return UnsafePointer(dInput)
    }
}
