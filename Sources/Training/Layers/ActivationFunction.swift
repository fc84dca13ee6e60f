import Foundation

/// Element-wise (softmax: row-wise) activations, each with its forward and
/// backward in one place. Backward passes use the activation's *output*, so
/// layers keep only their outputs.
public enum ActivationFunction: Sendable, Equatable {
    case linear
    case relu
    /// max(x, alpha·x) with `alpha` ≥ 0 (Keras's `leaky_relu` default is 0.2).
    case leakyRelu(alpha: Float = 0.2)
    case sigmoid
    case tanh
    /// Softmax over the last axis.
    case softmax

    /// Keras's name (`relu`, `softmax`...).
    public var name: String {
        switch self {
        case .linear: "linear"
        case .relu: "relu"
        case .leakyRelu: "leaky_relu"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .softmax: "softmax"
        }
    }

    /// Applies the activation in place on `count` values laid out in rows of
    /// `width`, in row chunks on ``ComputeThreads`` (see `ParallelChunks`).
    /// - Complexity: O(count).
    public func apply(_ x: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        guard self != .linear, width > 0 else { return }
        ParallelChunks.run(count: count / width, work: count) { rows in
            applySerial(x + rows.lowerBound * width, count: rows.count * width, width: width)
        }
    }

    /// ``apply(_:count:width:)`` on the calling thread.
    private func applySerial(_ x: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            VectorKernels.relu(x, count: count)
        case let .leakyRelu(alpha):
            for i in 0..<count where x[i] < 0 { x[i] *= alpha }
        case .sigmoid:
            for i in 0..<count { x[i] = ActivationFunction.sigmoid(x[i]) }
        case .tanh:
            for i in 0..<count { x[i] = Foundation.tanh(x[i]) }
        case .softmax:
            for row in stride(from: 0, to: count, by: width) {
                let v = x + row
                var peak = -Float.infinity
                for j in 0..<width { peak = max(peak, v[j]) }
                var sum: Float = 0
                for j in 0..<width { v[j] = exp(v[j] - peak); sum += v[j] }
                let scale = 1 / sum
                for j in 0..<width { v[j] *= scale }
            }
        }
    }

    /// Writes d loss / d pre-activation into `grad`, from d loss / d output
    /// (`gradOutput`, which may be `grad` itself) and the outputs `y`, in row
    /// chunks as ``apply(_:count:width:)``.
    /// - Complexity: O(count).
    public func backward(output y: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                         into grad: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        guard width > 0 else { return }
        ParallelChunks.run(count: count / width, work: count) { rows in
            let offset = rows.lowerBound * width
            backwardSerial(output: y + offset, gradOutput: gradOutput + offset, into: grad + offset,
                           count: rows.count * width, width: width)
        }
    }

    /// ``backward(output:gradOutput:into:count:width:)`` on the calling thread.
    private func backwardSerial(output y: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                into grad: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        switch self {
        case .linear:
            if UnsafePointer(grad) != gradOutput { grad.update(from: gradOutput, count: count) }
        case .relu:
            VectorKernels.reluBackward(output: y, gradOutput: gradOutput, into: grad, count: count)
        case let .leakyRelu(alpha):
            VectorKernels.reluBackward(output: y, gradOutput: gradOutput, into: grad, count: count, negativeSlope: alpha)
        case .sigmoid:
            for i in 0..<count { grad[i] = gradOutput[i] * y[i] * (1 - y[i]) }
        case .tanh:
            for i in 0..<count { grad[i] = gradOutput[i] * (1 - y[i] * y[i]) }
        case .softmax:
            for row in stride(from: 0, to: count, by: width) {
                var dot: Float = 0
                for j in 0..<width { dot += gradOutput[row + j] * y[row + j] }
                for j in 0..<width { grad[row + j] = y[row + j] * (gradOutput[row + j] - dot) }
            }
        }
    }

    /// Throws when a parameter is out of range.
    func validate() throws {
        if case let .leakyRelu(alpha) = self {
            try require(alpha >= 0 && alpha.isFinite, "alpha", alpha, "leaky relu slope must be finite and ≥ 0")
        }
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + exp(-x)) : { let e = exp(x); return e / (1 + e) }()
    }
}
