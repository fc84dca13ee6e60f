import CNeuralKernels

/// A ReLU convolution followed by max pooling, fused: each thread convolves
/// and pools one sample at a time, so the convolution's output stays in
/// cache and is never stored. For inputs with few channels (an image CNN's
/// first layer), where oneDNN's kernels are slow; see ``supports(_:filters:)``.
/// Built for one batch size.
///
/// ```swift
/// let plan = ConvolutionPoolingPlan(convolution: c, filters: 32, pooling: p, batch: 128, bias: true)
/// plan.forward(x, kernel: w, bias: b, into: y, training: true)
/// plan.weightGradients(input: x, gradOutput: dy, kernel: dw, bias: db)
/// ```
public final class ConvolutionPoolingPlan {
    /// The batch size the plan was built for.
    public let batch: Int
    private let plan: OpaquePointer

    /// Whether the fused kernels handle a convolution of this shape (at most
    /// 4 input channels, filters a multiple of 16).
    public static func supports(_ convolution: WindowGeometry, filters: Int) -> Bool {
        var shape = convolution.oneDNN(batch: 1, outputChannels: filters)
        return nk_conv_pool_supports(&shape) != 0
    }

    /// `pooling`'s input is the convolution's output (filters channels).
    public init(convolution: WindowGeometry, filters: Int, pooling: WindowGeometry, batch: Int, bias: Bool) {
        var conv = convolution.oneDNN(batch: batch, outputChannels: filters)
        var pool = pooling.oneDNN(batch: batch, outputChannels: pooling.channels)
        var plan: OpaquePointer?
        OneDNNStatus.check(nk_conv_pool_create(&plan, &conv, &pool, bias ? 1 : 0), "convolution+pooling setup \(convolution)")
        self.plan = plan!
        self.batch = batch
    }

    deinit { nk_conv_pool_destroy(plan) }

    /// `output = maxpool(relu(conv(input, kernel) + bias))`; a training
    /// forward records what ``weightGradients(input:gradOutput:kernel:bias:)`` needs.
    /// - Complexity: O(batch · outputPixels · patchSize · filters).
    public func forward(_ input: UnsafePointer<Float>, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        into output: UnsafeMutablePointer<Float>, training: Bool) {
        ComputeThreads.adopt()
        OneDNNStatus.check(nk_conv_pool_forward(plan, input, kernel, bias, output, training ? 1 : 0,
                                                Int32(ComputeThreads.current)), "convolution+pooling forward")
    }

    /// Kernel and bias gradients (overwritten) of the last training forward,
    /// whose input was `input`, from d(loss)/d(output).
    /// - Complexity: O(batch · outputPixels · patchSize · filters).
    public func weightGradients(input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                kernel: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?) {
        ComputeThreads.adopt()
        OneDNNStatus.check(nk_conv_pool_backward_weights(plan, input, gradOutput, kernel, bias, Int32(ComputeThreads.current)),
                           "convolution+pooling weight gradient")
    }
}
