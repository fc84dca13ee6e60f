/// `x · scale + offset` (Keras's `Rescaling`), e.g. pixels in [0, 255] to [-1, 1].
///
/// ```swift
/// let toUnit = try Rescaling(scale: 1 / 127.5, offset: -1)
/// ```
public final class Rescaling: UnaryLayer {
    public let typeName = "Rescaling"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// The factor.
    public let scale: Float
    /// Added after scaling.
    public let offset: Float
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()

    /// Throws when `scale` or `offset` is not finite.
    public init(scale: Float, offset: Float = 0, name: String = "") throws {
        try require(scale.isFinite, "scale", scale, "must be finite")
        try require(offset.isFinite, "offset", offset, "must be finite")
        self.scale = scale
        self.offset = offset
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let count = batch * outputSize
        let out = context.output(count, else: output)
        for i in 0..<count { out[i] = input[i] * scale + offset }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let count = batch * outputSize
        let dInput = gradInput.reserve(count)
        for i in 0..<count { dInput[i] = gradOutput[i] * scale }
        return UnsafePointer(dInput)
    }
}
