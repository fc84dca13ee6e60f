/// Keras's `Normalization` over the last axis: `(x − mean) / max(√variance, 1e-7)`,
/// or with `invert` the reverse, `mean + x · max(√variance, 1e-7)`.
///
/// Mean and variance are either given (one value, or one per channel) or
/// computed from data by ``adapt(_:)``. As in Keras, only an adapted layer
/// has weights: `mean` and `variance` (one per channel) and `count` (a
/// scalar Keras stores as int64 and leaves at 0), none of them trainable.
///
/// ```swift
/// let given = try Normalization(mean: [0.485, 0.456, 0.406], variance: [0.052, 0.050, 0.051])
/// let learned = Normalization()
/// try learned.adapt(trainingImages)   // (n, h, w, c) or (n, features)
/// ```
public final class Normalization: UnaryLayer {
    public let typeName = "Normalization"
    public var name: String
    public var trainable = true
    public private(set) var parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// Whether the layer maps normalised values back.
    public let invert: Bool
    /// The mean and variance given at construction (nil when the layer is adapted or loaded).
    public let givenMean: [Float]?
    public let givenVariance: [Float]?
    private var adapted: (mean: [Float], variance: [Float])?
    /// Per-channel max(√variance, ε) of the last forward pass.
    private var factor: [Float] = []
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()

    private static let epsilon: Float = 1e-7

    /// A layer to ``adapt(_:)`` before use, or with `mean` and `variance`
    /// given. Throws when only one of them is given, their lengths differ or
    /// a variance is negative.
    public init(mean: [Float]? = nil, variance: [Float]? = nil, invert: Bool = false, name: String = "") throws {
        try require((mean == nil) == (variance == nil), mean == nil ? "mean" : "variance", "nil",
                    "mean and variance are given together or not at all")
        if let mean, let variance {
            try require(!mean.isEmpty && mean.count == variance.count, "variance", variance.count,
                        "needs as many values as mean (\(mean.count))")
            try require(variance.allSatisfy { $0 >= 0 && $0.isFinite }, "variance", variance, "must be finite and ≥ 0")
            try require(mean.allSatisfy(\.isFinite), "mean", mean, "must be finite")
        }
        givenMean = mean
        givenVariance = variance
        self.invert = invert
        self.name = name
    }

    /// Computes the per-channel mean and (population) variance of `data`,
    /// whose last axis is the channel axis, as Keras's `adapt` does.
    /// Throws for layers given their statistics, empty data, or channels that
    /// differ from the built input's.
    /// - Complexity: O(data.count).
    public func adapt(_ data: Tensor) throws {
        try require(givenMean == nil, "data", data.shape, "this Normalization was given its mean and variance")
        guard let channels = data.shape.last, channels > 0, data.count > 0 else {
            throw TrainingError.invalidArgument(parameter: "data", value: "\(data.shape)", reason: "nothing to adapt on")
        }
        if let built = outputShape.last {
            try require(built == channels, "data", data.shape, "has \(channels) channels; the layer was built for \(built)")
        }
        let rows = data.count / channels
        var sum = [Double](repeating: 0, count: channels)
        for (i, x) in data.scalars.enumerated() { sum[i % channels] += Double(x) }
        let mean = sum.map { $0 / Double(rows) }
        var squares = [Double](repeating: 0, count: channels)
        for (i, x) in data.scalars.enumerated() {
            let d = Double(x) - mean[i % channels]
            squares[i % channels] += d * d
        }
        adapted = (mean.map { Float($0) }, squares.map { Float($0 / Double(rows)) })
        if !parameters.isEmpty {
            parameters[0].value.pointer.update(from: adapted!.mean, count: channels)
            parameters[1].value.pointer.update(from: adapted!.variance, count: channels)
        }
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard let channels = inputShape.last, channels > 0 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "needs a last (channel) axis")
        }
        if let givenMean, givenMean.count != 1, givenMean.count != channels {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape,
                                                  reason: "\(givenMean.count) means for \(channels) channels")
        }
        if let adapted, adapted.mean.count != channels {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape,
                                                  reason: "adapted on \(adapted.mean.count) channels")
        }
        if givenMean == nil, parameters.isEmpty {
            parameters = [
                Parameter(name: "mean", shape: [channels], isTrainable: false,
                          initialValues: adapted?.mean ?? .init(repeating: 0, count: channels)),
                Parameter(name: "variance", shape: [channels], isTrainable: false,
                          initialValues: adapted?.variance ?? .init(repeating: 1, count: channels)),
                Parameter(name: "count", shape: [], isTrainable: false, initialValues: [0]),
            ]
        }
        outputShape = inputShape
        return outputShape
    }

    /// Per-channel (mean, max(√variance, ε)), from the weights (which a
    /// weight file may have replaced) or the given values.
    private func statistics(channels: Int) -> (mean: [Float], deviation: [Float]) {
        let mean: [Float], variance: [Float]
        if let givenMean, let givenVariance {
            mean = givenMean.count == 1 ? .init(repeating: givenMean[0], count: channels) : givenMean
            variance = givenVariance.count == 1 ? .init(repeating: givenVariance[0], count: channels) : givenVariance
        } else {
            mean = parameters[0].value.array(count: channels)
            variance = parameters[1].value.array(count: channels)
        }
        return (mean, variance.map { max($0.squareRoot(), Self.epsilon) })
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let channels = outputShape.last!
        let count = batch * outputSize
        let (mean, deviation) = statistics(channels: channels)
        factor = deviation
        let out = context.output(count, else: output)
        for row in stride(from: 0, to: count, by: channels) {
            for c in 0..<channels {
                let x = input[row + c]
                out[row + c] = invert ? mean[c] + x * deviation[c] : (x - mean[c]) / deviation[c]
            }
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let channels = outputShape.last!
        let count = batch * outputSize
        let dInput = gradInput.reserve(count)
        for row in stride(from: 0, to: count, by: channels) {
            for c in 0..<channels {
                dInput[row + c] = invert ? gradOutput[row + c] * factor[c] : gradOutput[row + c] / factor[c]
            }
        }
        return UnsafePointer(dInput)
    }
}
