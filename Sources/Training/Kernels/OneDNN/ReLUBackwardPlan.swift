import CNeuralKernels

/// The ReLU backward pass on oneDNN's threads, for `count` values:
/// `grad[i] = output[i] > 0 ? gradOutput[i] : 0`.
///
/// ```swift
/// let plan = ReLUBackwardPlan(count: n)
/// plan.run(output: y, gradOutput: dy, into: dx)
/// ```
public final class ReLUBackwardPlan {
    /// Values per call.
    public let count: Int
    private let plan: OpaquePointer

    public init(count: Int) {
        ComputeThreads.adopt()
        var plan: OpaquePointer?
        OneDNNStatus.check(nk_relu_create(&plan, Int64(count)), "relu setup for \(count) values")
        self.plan = plan!
        self.count = count
    }

    deinit { nk_relu_destroy(plan) }

    /// - Complexity: O(count).
    public func run(output: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>, into grad: UnsafeMutablePointer<Float>) {
        ComputeThreads.adopt()
        OneDNNStatus.check(nk_relu_backward(plan, output, gradOutput, grad), "relu backward")
    }
}
