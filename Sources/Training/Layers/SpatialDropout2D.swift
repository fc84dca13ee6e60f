/// Dropout of whole feature maps (Keras's `SpatialDropout2D`): in training,
/// each channel of each sample is zeroed with probability `rate` and the
/// kept ones scaled by 1/(1 − rate); in inference, the identity.
///
/// Channel `c` of the sample at position `p` of epoch `t`'s order is dropped
/// from `CounterRandom.key([seed, streamKey(name), t, 0x5D20])` with counter
/// `p · channels + c`, so a sample keeps its mask whatever batch or process
/// it lands in (as ``Dropout``).
///
/// ```swift
/// let drop = try SpatialDropout2D(rate: 0.2)
/// ```
public final class SpatialDropout2D: UnaryLayer {
    public let typeName = "SpatialDropout2D"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// Fraction of channels dropped, in [0, 1).
    public let rate: Float
    private var pixels = 0
    private var channels = 0
    private let output = ScratchBuffer()
    private let mask = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var lastWasTraining = false

    /// Throws unless 0 ≤ `rate` < 1.
    public init(rate: Float, name: String = "") throws {
        try require(rate >= 0 && rate < 1, "rate", rate, "dropout rate must lie in [0, 1)")
        self.rate = rate
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "needs (height, width, channels)")
        }
        pixels = inputShape[0] * inputShape[1]
        channels = inputShape[2]
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        lastWasTraining = context.training && rate > 0
        guard lastWasTraining else { return input }
        let m = mask.reserve(batch * channels)
        let key = CounterRandom.key([context.seed, context.streamKey, UInt64(context.epoch), 0x5D20])
        let scale = 1 / (1 - rate)
        let first = UInt64(context.sampleOffset * channels)
        for i in 0..<(batch * channels) {
            m[i] = CounterRandom.uniform(key: key, counter: first + UInt64(i)) < rate ? 0 : scale
        }
        let out = context.output(batch * outputSize, else: output)
        Self.scaleChannels(input, by: m, into: out, batch: batch, pixels: pixels, channels: channels)
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        guard lastWasTraining else { return gradOutput }
        let dInput = gradInput.reserve(batch * outputSize)
        Self.scaleChannels(gradOutput, by: mask.pointer, into: dInput, batch: batch, pixels: pixels, channels: channels)
        return UnsafePointer(dInput)
    }

    /// `target[n, p, c] = source[n, p, c] · factors[n, c]`.
    private static func scaleChannels(_ source: UnsafePointer<Float>, by factors: UnsafePointer<Float>,
                                      into target: UnsafeMutablePointer<Float>, batch: Int, pixels: Int, channels: Int) {
        for n in 0..<batch {
            let f = factors + n * channels
            for p in 0..<pixels {
                let offset = (n * pixels + p) * channels
                for c in 0..<channels { target[offset + c] = source[offset + c] * f[c] }
            }
        }
    }
}
