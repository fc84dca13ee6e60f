import Foundation

/// The scalar forms of the activations that have no loop of their own in
/// `apply` and `backward` (relu, leaky relu, sigmoid, tanh, softmax do).
extension ActivationFunction {
    static let seluScale: Float = 1.0507009873554804934193349852946
    static let seluAlpha: Float = 1.6732632423543772848170429916717
    private static let sqrtHalf: Float = 0.70710678118654752440
    private static let inverseSqrtTwoPi: Float = 0.39894228040143267794
    private static let sqrtTwoOverPi: Float = 0.79788456080286535588
    private static let geluCubic: Float = 0.044715

    /// f(x).
    @inline(__always)
    func value(_ x: Float) -> Float {
        switch self {
        case .relu6: min(max(x, 0), 6)
        case let .elu(alpha): x > 0 ? x : alpha * expm1(x)
        case .selu: Self.seluScale * (x > 0 ? x : Self.seluAlpha * expm1(x))
        case .softplus: max(x, 0) + log1p(exp(-abs(x)))
        case .hardSigmoid: min(max(x + 3, 0), 6) / 6
        case .silu: x * Self.sigmoid(x)
        case .hardSilu: x * (min(max(x + 3, 0), 6) / 6)
        // 1 + erf(x/√2) and 1 + tanh(u) cancel for negative x: erfc and
        // the identity 1 + tanh(u) = 2·sigmoid(2u) keep the precision.
        case .gelu(approximate: false): 0.5 * x * erfc(-x * Self.sqrtHalf)
        case .gelu(approximate: true): x * Self.sigmoid(2 * Self.sqrtTwoOverPi * (x + Self.geluCubic * x * x * x))
        case .linear, .relu, .leakyRelu, .sigmoid, .tanh, .softmax: preconditionFailure("\(name) has its own loop")
        }
    }

    /// f′ from the output y = f(x), for activations with
    /// ``derivativeNeedsInput`` false.
    @inline(__always)
    func derivative(output y: Float) -> Float {
        switch self {
        case .relu6: y > 0 && y < 6 ? 1 : 0
        case let .elu(alpha): y > 0 ? 1 : y + alpha
        case .selu: y > 0 ? Self.seluScale : y + Self.seluScale * Self.seluAlpha
        case .softplus: -expm1(-y)
        case .hardSigmoid: y > 0 && y < 1 ? 1 / 6 : 0
        case .silu, .hardSilu, .gelu: preconditionFailure("\(name)'s derivative is not a function of its output")
        case .linear, .relu, .leakyRelu, .sigmoid, .tanh, .softmax: preconditionFailure("\(name) has its own loop")
        }
    }

    /// f′(x), for activations with ``derivativeNeedsInput``.
    @inline(__always)
    func derivative(input x: Float) -> Float {
        switch self {
        case .silu:
            let s = Self.sigmoid(x)
            return s * (1 + x * (1 - s))
        case .hardSilu:
            return x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6
        case .gelu(approximate: false):
            return 0.5 * erfc(-x * Self.sqrtHalf) + x * Self.inverseSqrtTwoPi * exp(-0.5 * x * x)
        case .gelu(approximate: true):
            let s = Self.sigmoid(2 * Self.sqrtTwoOverPi * (x + Self.geluCubic * x * x * x))
            return s + 2 * x * s * (1 - s) * Self.sqrtTwoOverPi * (1 + 3 * Self.geluCubic * x * x)
        default:
            preconditionFailure("\(name)'s derivative is computed from its output")
        }
    }
}
