/// Inverted dropout: in training, zeroes each input with probability `rate`
/// and scales the rest by 1/(1 − rate); in inference, the identity.
///
/// The mask of element `e` of the sample at position `p` of epoch `t`'s order
/// is drawn from `CounterRandom.key([seed, streamKey(name), t, 0xD20])` with
/// counter `p · sampleSize + e`: a seeded run replays the same masks, and a
/// sample gets the same mask whatever batch or process it lands in.
public final class Dropout: UnaryLayer {
    public let typeName = "Dropout"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// Fraction of inputs dropped, in [0, 1).
    public let rate: Float
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
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        lastWasTraining = context.training && rate > 0
        guard lastWasTraining else { return input }
        let count = batch * outputSize
        let out = context.output(count, else: output)
        let m = mask.reserve(count)
        let key = CounterRandom.key([context.seed, context.streamKey, UInt64(context.epoch), 0xD20])
        let scale = 1 / (1 - rate)
        let first = UInt64(context.sampleOffset * outputSize)
        for i in 0..<count {
            m[i] = CounterRandom.uniform(key: key, counter: first + UInt64(i)) < rate ? 0 : scale
            out[i] = input[i] * m[i]
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        guard lastWasTraining else { return gradOutput }
        let count = batch * outputSize
        let dInput = gradInput.reserve(count)
        for i in 0..<count { dInput[i] = gradOutput[i] * mask.pointer[i] }
        return UnsafePointer(dInput)
    }
}
