import CNeuralKernels

/// Max pooling of NHWC activations on oneDNN's OpenMP threads, built for
/// one batch size. A
/// training forward records each window's argmax (its first maximum in
/// row-major order), which the backward pass routes the gradient to.
///
/// ```swift
/// let plan = MaxPoolingPlan(geometry: g, batch: 32)
/// plan.forward(x, into: y, training: true)
/// plan.backward(dy, into: dx)
/// ```
public final class MaxPoolingPlan {
    /// The batch size the plan was built for.
    public let batch: Int
    private let plan: OpaquePointer

    public init(geometry g: WindowGeometry, batch: Int) {
        var shape = g.oneDNN(batch: batch, outputChannels: g.channels)
        var plan: OpaquePointer?
        OneDNNStatus.check(nk_pool_create(&plan, &shape), "max pooling setup \(g)")
        self.plan = plan!
        self.batch = batch
    }

    deinit { nk_pool_destroy(plan) }

    /// Window maxima of `batch` samples.
    /// - Complexity: O(batch · inputSize).
    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, training: Bool) {
        OneDNNStatus.check(nk_pool_forward(plan, input, output, training ? 1 : 0, Int32(ComputeThreads.current)), "max pooling forward")
    }

    /// d(loss)/d(input) (all of it written) of the last training forward.
    /// With `positiveIn` (that forward's input), maxima ≤ 0 get no gradient:
    /// the ReLU backward of the layer that produced the input, fused.
    /// - Complexity: O(batch · inputSize).
    public func backward(_ gradOutput: UnsafePointer<Float>, into gradInput: UnsafeMutablePointer<Float>,
                         positiveIn input: UnsafePointer<Float>? = nil) {
        OneDNNStatus.check(nk_pool_backward(plan, gradOutput, gradInput, input, Int32(ComputeThreads.current)),
                           "max pooling backward")
    }
}
