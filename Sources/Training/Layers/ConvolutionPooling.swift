/// A model's first layers when they are a ReLU ``Conv2D`` on few input
/// channels and a ``MaxPooling2D``: both run as one fused kernel
/// (``ConvolutionPoolingPlan``), whose convolution output never leaves the
/// cache. ``Sequential`` uses it in place of the two layers' own passes; the
/// results equal theirs up to the order of floating-point sums.
final class ConvolutionPooling {
    let convolution: Conv2D
    let pooling: MaxPooling2D
    private var plan: ConvolutionPoolingPlan?
    private let output = ScratchBuffer()
    private var lastInput: UnsafePointer<Float>?
    private var recordedMaxima = false

    /// Nil unless the fused kernel handles the pair (one group, no dilation).
    init?(_ convolution: Conv2D, _ pooling: MaxPooling2D) {
        guard convolution.activation == .relu, convolution.groups == 1, let g = convolution.geometry, pooling.geometry != nil,
              ConvolutionPoolingPlan.supports(g, filters: convolution.filters) else { return nil }
        self.convolution = convolution
        self.pooling = pooling
    }

    /// The pooling layer's output for `batch` samples.
    func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let training = context.training
        let out = context.output(batch * pooling.outputSize, else: output)
        let parameters = convolution.parameters
        plan(batch: batch).forward(input, kernel: parameters[0].value.pointer,
                                   bias: convolution.useBias ? UnsafePointer(parameters[1].value.pointer) : nil,
                                   into: out, training: training)
        lastInput = input
        recordedMaxima = training
        return UnsafePointer(out)
    }

    /// Stores the convolution's kernel and bias gradients from d(loss)/d(pooled
    /// output) of the last forward (run again in training mode after an
    /// inference forward). The input gradient is not computed: the pair is the model's first.
    func backward(_ gradOutput: UnsafePointer<Float>, batch: Int) {
        guard let input = lastInput else { return }
        if !recordedMaxima { _ = forward(input, batch: batch, context: ForwardContext(training: true)) }
        let parameters = convolution.parameters
        plan(batch: batch).weightGradients(input: input, gradOutput: gradOutput, kernel: parameters[0].gradient.pointer,
                                           bias: convolution.useBias ? parameters[1].gradient.pointer : nil)
    }

    /// The plan for `batch` samples (rebuilt when the batch size changes).
    private func plan(batch: Int) -> ConvolutionPoolingPlan {
        if let plan, plan.batch == batch { return plan }
        let made = ConvolutionPoolingPlan(convolution: convolution.geometry!, filters: convolution.filters,
                                          pooling: pooling.geometry!, batch: batch, bias: convolution.useBias)
        plan = made
        return made
    }
}
