/// A linear ``Conv2D`` followed by a ``BatchNormalization`` that uses its
/// moving statistics (inference, or a frozen base), run as one convolution
/// whose kernel and bias absorb the normalisation:
/// `kernel′[…, f] = kernel[…, f] · s[f]`, `bias′[f] = (bias[f] − mean[f]) · s[f] + beta[f]`
/// with `s = gamma / √(variance + ε)`. The graph engine uses it in place of
/// the two layers' passes when nothing needs their gradients; the folded
/// weights are recomputed from the layers' parameters at every call, so
/// training and loading weights never leave them stale.
final class ConvolutionBatchNormalization {
    let convolution: Conv2D
    let normalization: BatchNormalization
    private var plan: ConvolutionPlan?
    private let kernel = ScratchBuffer()
    private let bias = ScratchBuffer()
    private let output = ScratchBuffer()

    /// Nil unless the convolution is linear and built.
    init?(_ convolution: Conv2D, _ normalization: BatchNormalization) {
        guard convolution.activation == .linear, convolution.geometry != nil,
              normalization.parameters.count == 4, normalization.parameters[0].count == convolution.filters else { return nil }
        self.convolution = convolution
        self.normalization = normalization
    }

    /// The normalisation's output for `batch` samples.
    func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        fold()
        let filters = convolution.filters
        let out = context.output(batch * convolution.geometry!.outputPixels * filters, else: output)
        plan(batch: batch).forward(input, kernel: kernel.pointer, bias: UnsafePointer(bias.pointer), into: out)
        return UnsafePointer(out)
    }

    /// The folded kernel and bias from the layers' current parameters.
    private func fold() {
        let filters = convolution.filters
        let p = normalization.parameters
        let gamma = p[0].value.pointer, beta = p[1].value.pointer
        let mean = p[2].value.pointer, variance = p[3].value.pointer
        let source = convolution.parameters[0]
        let k = kernel.reserve(source.count), b = bias.reserve(filters)
        for f in 0..<filters {
            let scale = gamma[f] / (variance[f] + normalization.epsilon).squareRoot()
            let shift = convolution.useBias ? convolution.parameters[1].value.pointer[f] : 0
            b[f] = (shift - mean[f]) * scale + beta[f]
            var i = f
            while i < source.count { k[i] = source.value.pointer[i] * scale; i += filters }
        }
    }

    /// The plan for `batch` samples (rebuilt when the batch size changes).
    private func plan(batch: Int) -> ConvolutionPlan {
        if let plan, plan.batch == batch { return plan }
        let made = ConvolutionPlan(geometry: convolution.geometry!, filters: convolution.filters, batch: batch,
                                   bias: true, relu: false)
        plan = made
        return made
    }
}
