/// Keras's `ReLU` layer: `min(x, maxValue)` for x > `threshold`,
/// `negativeSlope · (x − threshold)` otherwise.
///
/// ```swift
/// let relu6 = try ReLU(maxValue: 6)
/// let leaky = try ReLU(negativeSlope: 0.1, threshold: 0.5)
/// ```
public final class ReLU: UnaryLayer {
    public let typeName = "ReLU"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// Upper bound of the output; nil: unbounded.
    public let maxValue: Float?
    /// Slope below the threshold.
    public let negativeSlope: Float
    /// Inputs above it pass (up to ``maxValue``).
    public let threshold: Float
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    /// The last forward pass's input, or its output when ``masksFromOutput``:
    /// what the backward pass reads.
    private var kept: UnsafePointer<Float>?

    /// Whether the backward pass takes its mask from the output: when
    /// `maxValue` exceeds `threshold`, `y > threshold` exactly where
    /// `x > threshold` and then `y < maxValue` exactly where `x < maxValue`
    /// (below the threshold `y = slope · (x − threshold) ≤ 0`), so the
    /// gradient is bit for bit the one computed from the input, and the
    /// input need not be kept for the backward pass.
    var masksFromOutput: Bool { (maxValue ?? .infinity) > threshold }

    /// Throws when `maxValue`, `negativeSlope` or `threshold` is negative (as Keras does).
    public init(maxValue: Float? = nil, negativeSlope: Float = 0, threshold: Float = 0, name: String = "") throws {
        if let maxValue { try require(maxValue >= 0, "max_value", maxValue, "must be ≥ 0") }
        try require(negativeSlope >= 0 && negativeSlope.isFinite, "negative_slope", negativeSlope, "must be finite and ≥ 0")
        try require(threshold >= 0 && threshold.isFinite, "threshold", threshold, "must be finite and ≥ 0")
        self.maxValue = maxValue
        self.negativeSlope = negativeSlope
        self.threshold = threshold
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let count = batch * outputSize
        let out = context.output(count, else: output)
        NormalizationKernels.clamp(input, into: out, count: count, threshold: threshold, top: maxValue ?? .infinity,
                                   slope: negativeSlope)
        kept = masksFromOutput ? UnsafePointer(out) : input
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient, let x = kept else { return nil }
        let count = batch * outputSize
        let dInput = BackwardArena.gradient(count, else: gradInput)
        NormalizationKernels.clampGradient(x, gradOutput: gradOutput, into: dInput, count: count, threshold: threshold,
                                           top: maxValue ?? .infinity, slope: negativeSlope)
        return UnsafePointer(dInput)
    }
}
