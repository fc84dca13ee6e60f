/// `x · scale + offset` (Keras's `Rescaling`), e.g. pixels in [0, 255] to [-1, 1].
/// The scale is one value, or one per channel (last axis), as Keras allows.
///
/// ```swift
/// let toUnit = try Rescaling(scale: 1 / 127.5, offset: -1)
/// let perChannel = try Rescaling(scales: [1 / 0.229, 1 / 0.224, 1 / 0.225])
/// ```
public final class Rescaling: UnaryLayer {
    public let typeName = "Rescaling"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// The factor of every element (the first channel's when ``scales`` has several).
    public var scale: Float { scales[0] }
    /// The factors: one for every element, or one per channel.
    public let scales: [Float]
    /// Added after scaling.
    public let offset: Float
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()

    /// Throws when `scale` or `offset` is not finite.
    public convenience init(scale: Float, offset: Float = 0, name: String = "") throws {
        try self.init(scales: [scale], offset: offset, name: name)
    }

    /// One factor per channel (or one for all); throws when empty or not finite.
    public init(scales: [Float], offset: Float = 0, name: String = "") throws {
        try require(!scales.isEmpty && scales.allSatisfy(\.isFinite), "scale", scales, "must be finite")
        try require(offset.isFinite, "offset", offset, "must be finite")
        self.scales = scales
        self.offset = offset
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        if scales.count > 1 {
            guard inputShape.last == scales.count else {
                throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape,
                                                      reason: "\(scales.count) scales for \(inputShape.last ?? 0) channels")
            }
        }
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let count = batch * outputSize
        let out = context.output(count, else: output)
        let width = scales.count
        if width == 1 {
            for i in 0..<count { out[i] = input[i] * scales[0] + offset }
        } else {
            for i in 0..<count { out[i] = input[i] * scales[i % width] + offset }
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let count = batch * outputSize
        let dInput = gradInput.reserve(count)
        let width = scales.count
        for i in 0..<count { dInput[i] = gradOutput[i] * scales[i % width] }
        return UnsafePointer(dInput)
    }
}
