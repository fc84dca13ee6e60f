import Foundation

/// Element-wise (softmax: row-wise) activations with Keras 3's definitions,
/// each with its forward and backward in one place.
///
/// Most derivatives are functions of the activation's *output*, so layers
/// keep only their outputs; ``derivativeNeedsInput`` names the ones (gelu,
/// silu, hard_silu) whose layers must also keep the pre-activation input.
///
/// ```swift
/// let dense = try Dense(units: 64, activation: .gelu())
/// let act = try Activation(.silu)
/// ```
public enum ActivationFunction: Sendable, Equatable {
    case linear
    case relu
    /// min(max(x, 0), 6).
    case relu6
    /// max(x, alpha·x) with `alpha` ≥ 0 (Keras's `leaky_relu` default is 0.2).
    case leakyRelu(alpha: Float = 0.2)
    /// x for x > 0, alpha·(eˣ − 1) otherwise, with `alpha` ≥ 0 (Keras's default 1).
    case elu(alpha: Float = 1)
    /// 1.0507·elu(x) with alpha 1.67326 (Keras's constants).
    case selu
    /// log(1 + eˣ).
    case softplus
    case sigmoid
    /// relu6(x + 3) / 6.
    case hardSigmoid
    /// x · sigmoid(x) (Keras's `silu`, alias `swish`).
    case silu
    /// x · hard_sigmoid(x) (Keras's `hard_silu`, alias `hard_swish`).
    case hardSilu
    /// x · Φ(x) with the normal CDF Φ; `approximate` uses the tanh form.
    /// Keras's `gelu` activation is the exact one (`approximate: false`).
    case gelu(approximate: Bool = false)
    case tanh
    /// Softmax over the last axis.
    case softmax

    /// Keras's alias of ``silu``.
    public static let swish = ActivationFunction.silu
    /// Keras's alias of ``hardSilu``.
    public static let hardSwish = ActivationFunction.hardSilu

    /// Keras's name (`relu`, `softmax`...), as `get_config` writes it.
    public var name: String {
        switch self {
        case .linear: "linear"
        case .relu: "relu"
        case .relu6: "relu6"
        case .leakyRelu: "leaky_relu"
        case .elu: "elu"
        case .selu: "selu"
        case .softplus: "softplus"
        case .sigmoid: "sigmoid"
        case .hardSigmoid: "hard_sigmoid"
        case .silu: "silu"
        case .hardSilu: "hard_silu"
        case .gelu: "gelu"
        case .tanh: "tanh"
        case .softmax: "softmax"
        }
    }

    /// The activation Keras calls `name` (aliases included: `swish`,
    /// `hard_swish`), with `alpha` for leaky_relu (default 0.2) and elu
    /// (default 1) and `approximate` for gelu; nil for a name Augment lacks.
    public static func named(_ name: String, alpha: Float? = nil, approximate: Bool? = nil) -> ActivationFunction? {
        switch name {
        case "linear": .linear
        case "relu": .relu
        case "relu6": .relu6
        case "leaky_relu": .leakyRelu(alpha: alpha ?? 0.2)
        case "elu": .elu(alpha: alpha ?? 1)
        case "selu": .selu
        case "softplus": .softplus
        case "sigmoid": .sigmoid
        case "hard_sigmoid": .hardSigmoid
        case "silu", "swish": .silu
        case "hard_silu", "hard_swish": .hardSilu
        case "gelu": .gelu(approximate: approximate ?? false)
        case "tanh": .tanh
        case "softmax": .softmax
        default: nil
        }
    }

    /// Every name ``named(_:alpha:approximate:)`` knows, sorted.
    public static let kerasNames = ["elu", "gelu", "hard_sigmoid", "hard_silu", "hard_swish", "leaky_relu", "linear", "relu",
                                    "relu6", "selu", "sigmoid", "silu", "softmax", "softplus", "swish", "tanh"]

    /// Whether ``backward(input:output:gradOutput:into:count:width:)`` needs
    /// the pre-activation input: true for gelu, silu and hard_silu, whose
    /// derivatives are not functions of their (non-monotonic) outputs.
    public var derivativeNeedsInput: Bool {
        switch self {
        case .gelu, .silu, .hardSilu: true
        default: false
        }
    }

    /// Applies the activation in place on `count` values laid out in rows of
    /// `width`, in row chunks on `ComputeThreads` (see `ParallelChunks`).
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
        default:
            for i in 0..<count { x[i] = value(x[i]) }
        }
    }

    /// Writes d loss / d pre-activation into `grad`, from d loss / d output
    /// (`gradOutput`, which may be `grad` itself), the outputs `y` and, when
    /// ``derivativeNeedsInput``, the inputs `x` (otherwise `x` may be nil),
    /// in row chunks as ``apply(_:count:width:)``.
    /// - Complexity: O(count).
    public func backward(input x: UnsafePointer<Float>?, output y: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                         into grad: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        precondition(x != nil || !derivativeNeedsInput, "\(name)'s derivative needs the pre-activation input")
        guard width > 0 else { return }
        ParallelChunks.run(count: count / width, work: count) { rows in
            let offset = rows.lowerBound * width
            backwardSerial(input: x.map { $0 + offset }, output: y + offset, gradOutput: gradOutput + offset,
                           into: grad + offset, count: rows.count * width, width: width)
        }
    }

    /// d loss / d pre-activation: `gradOutput` itself for a linear
    /// activation, else the incoming gradient times the derivative, in `scratch`.
    func gradient(input x: UnsafePointer<Float>?, output y: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                  count: Int, width: Int, scratch: ScratchBuffer) -> UnsafePointer<Float> {
        if self == .linear { return gradOutput }
        let grad = scratch.reserve(count)
        backward(input: x, output: y, gradOutput: gradOutput, into: grad, count: count, width: width)
        return UnsafePointer(grad)
    }

    /// The backward pass on the calling thread.
    private func backwardSerial(input x: UnsafePointer<Float>?, output y: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
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
        default:
            if let x, derivativeNeedsInput {
                for i in 0..<count { grad[i] = gradOutput[i] * derivative(input: x[i]) }
            } else {
                for i in 0..<count { grad[i] = gradOutput[i] * derivative(output: y[i]) }
            }
        }
    }

    /// Throws when a parameter is out of range.
    func validate() throws {
        switch self {
        case let .leakyRelu(alpha):
            try require(alpha >= 0 && alpha.isFinite, "alpha", alpha, "leaky relu slope must be finite and ≥ 0")
        case let .elu(alpha):
            try require(alpha >= 0 && alpha.isFinite, "alpha", alpha, "elu alpha must be finite and ≥ 0")
        default:
            return
        }
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + exp(-x)) : { let e = exp(x); return e / (1 + e) }()
    }
}
