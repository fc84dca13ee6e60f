/// Inverted dropout: in training, zeroes each input with probability `rate`
/// and scales the rest by 1/(1 − rate); in inference, the identity.
///
/// The mask of element `e` of the sample at position `p` of epoch `t`'s order
/// is drawn from `CounterRandom.key([seed, streamKey(name), t, 0xD20])` with
/// counter `p · sampleSize + e`: a seeded run replays the same masks, and a
/// sample gets the same mask whatever batch or process it lands in.
///
/// With a `noiseShape` (Keras's `noise_shape` without the batch axis), one
/// draw covers every element along the axes of extent 1: `[1, 1, 1]` drops
/// a whole sample (EfficientNet's stochastic depth); element `e` of that
/// shape uses counter `p · noiseSize + e`.
///
/// ```swift
/// let dropout = try Dropout(rate: 0.3)
/// let stochasticDepth = try Dropout(rate: 0.2, noiseShape: [1, 1, 1])
/// ```
public final class Dropout: UnaryLayer {
    public let typeName = "Dropout"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// Fraction of inputs dropped, in [0, 1).
    public let rate: Float
    /// Per-sample extents of the mask (each 1 or the input's); nil: the input's shape.
    public let noiseShape: [Int]?
    /// For each element of a sample, its mask element (nil: the same index); computed on first use.
    private lazy var maskOffsets: [Int32]? = noiseShape.flatMap {
        $0 == outputShape ? nil : ElementwiseMerge.offsets(of: $0, broadcastTo: outputShape)
    }
    private var noiseSize = 0
    private let output = ScratchBuffer()
    private let mask = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var lastWasTraining = false

    /// Throws unless 0 ≤ `rate` < 1.
    public init(rate: Float, noiseShape: [Int]? = nil, name: String = "") throws {
        try require(rate >= 0 && rate < 1, "rate", rate, "dropout rate must lie in [0, 1)")
        self.rate = rate
        self.noiseShape = noiseShape
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        if let noiseShape {
            guard noiseShape.count == inputShape.count,
                  zip(noiseShape, inputShape).allSatisfy({ $0 == 1 || $0 == $1 }) else {
                throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape,
                                                      reason: "noise shape \(noiseShape) needs each extent 1 or the input's")
            }
        }
        noiseSize = (noiseShape ?? inputShape).reduce(1, *)
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
        let size = outputSize
        for sample in 0..<batch {
            let first = UInt64((context.sampleOffset + sample) * noiseSize)
            for e in 0..<size {
                let noise = maskOffsets.map { Int($0[e]) } ?? e
                let i = sample * size + e
                m[i] = CounterRandom.uniform(key: key, counter: first + UInt64(noise)) < rate ? 0 : scale
                out[i] = input[i] * m[i]
            }
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
