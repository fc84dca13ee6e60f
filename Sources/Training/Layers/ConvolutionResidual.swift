/// A linear ``Conv2D``, the ``Add`` of its output and a residual, and the
/// ReLU after it (a ResNet basic block's second convolution), run as one
/// oneDNN convolution with `sum` and `relu` post-ops: the output buffer is
/// filled with the residual and the convolution adds into it, so neither the
/// sum nor the activation is a pass of its own. Backward: the ReLU's mask
/// from the output, then the convolution's weight and input gradients; the
/// residual's gradient is the masked gradient itself. Used in training and
/// inference alike (the graph engine checks the pattern: each node read by
/// the next alone, the convolution's layer used once).
final class ConvolutionResidual {
    let convolution: Conv2D
    private var plan: ConvolutionPlan?
    private var reluBackward: ReLUBackwardPlan?
    private let output = ScratchBuffer()
    private let gradPre = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var lastInput: UnsafePointer<Float>?
    private var lastOutput: UnsafePointer<Float>?

    /// Nil unless the convolution is linear and built.
    init?(_ convolution: Conv2D) {
        guard convolution.activation == .linear, convolution.geometry != nil else { return nil }
        self.convolution = convolution
    }

    /// Output values of `batch` samples.
    private func count(_ batch: Int) -> Int { batch * convolution.geometry!.outputPixels * convolution.filters }

    /// `relu(conv(input) + bias + residual)` for `batch` samples.
    func forward(_ input: UnsafePointer<Float>, residual: UnsafePointer<Float>, batch: Int,
                 context: ForwardContext) -> UnsafePointer<Float> {
        let total = count(batch)
        let out = context.output(total, else: output)
        out.update(from: residual, count: total)
        let kernel = convolution.parameters[0].value.pointer
        let bias = convolution.useBias ? UnsafePointer(convolution.parameters[1].value.pointer) : nil
        plan(batch: batch).forward(input, kernel: kernel, bias: bias, into: out,
                                   kernelVersion: context.foldsAreCurrent ? WeightGeneration.current : nil)
        lastInput = input
        lastOutput = UnsafePointer(out)
        return UnsafePointer(out)
    }

    /// From d(loss)/d(output): stores the convolution's kernel and bias
    /// gradients (when it is trainable) and returns d(loss)/d(pre-activation),
    /// which is the residual's gradient, and d(loss)/d(input) when asked for.
    func backward(_ gradOutput: UnsafePointer<Float>, batch: Int,
                  needsInputGradient: Bool) -> (residual: UnsafePointer<Float>, input: UnsafePointer<Float>?) {
        let total = count(batch)
        if reluBackward?.count != total { reluBackward = ReLUBackwardPlan(count: total) }
        let grad = gradPre.reserve(total)
        reluBackward!.run(output: lastOutput!, gradOutput: gradOutput, into: grad)
        let plan = plan(batch: batch)
        let parameters = convolution.parameters
        if !convolution.trainableParameters.isEmpty {
            plan.weightGradients(input: lastInput!, gradOutput: grad, kernel: parameters[0].gradient.pointer,
                                 bias: convolution.useBias ? parameters[1].gradient.pointer : nil)
        }
        guard needsInputGradient else { return (UnsafePointer(grad), nil) }
        let dInput = BackwardArena.gradient(batch * convolution.geometry!.inputSize, else: gradInput)
        plan.inputGradient(grad, kernel: parameters[0].value.pointer, into: dInput)
        return (UnsafePointer(grad), UnsafePointer(dInput))
    }

    /// The plan for `batch` samples (rebuilt when the batch size changes).
    private func plan(batch: Int) -> ConvolutionPlan {
        if let plan, plan.batch == batch { return plan }
        let made = ConvolutionPlan(geometry: convolution.geometry!, filters: convolution.filters, batch: batch,
                                   bias: convolution.useBias, activation: .relu, addsOutput: true,
                                   groups: convolution.groups)
        plan = made
        return made
    }
}
