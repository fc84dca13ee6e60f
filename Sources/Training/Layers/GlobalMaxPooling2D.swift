/// The maximum of each channel over height and width: `(h, w, c)` → `(c)`,
/// or `(1, 1, c)` with `keepdims`; the gradient flows to the (first) maximum.
///
/// ```swift
/// let pool = GlobalMaxPooling2D(keepdims: true)
/// ```
public final class GlobalMaxPooling2D: UnaryLayer {
    public let typeName = "GlobalMaxPooling2D"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// Whether the output keeps the spatial axes, as `(1, 1, c)`.
    public let keepdims: Bool
    private var pixels = 0
    private var channels = 0
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var argmax: [Int] = []

    /// `name` empty: the model assigns one.
    public init(keepdims: Bool = false, name: String = "") {
        self.keepdims = keepdims
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "needs (height, width, channels)")
        }
        pixels = inputShape[0] * inputShape[1]
        channels = inputShape[2]
        outputShape = keepdims ? [1, 1, channels] : [channels]
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let out = context.output(batch * channels, else: output)
        if argmax.count < batch * channels { argmax = .init(repeating: 0, count: batch * channels) }
        for n in 0..<batch {
            for c in 0..<channels {
                var best = -Float.infinity
                var where_ = n * pixels * channels + c
                for p in 0..<pixels {
                    let i = (n * pixels + p) * channels + c
                    if input[i] > best { best = input[i]; where_ = i }
                }
                out[n * channels + c] = best
                argmax[n * channels + c] = where_
            }
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let dInput = gradInput.reserve(batch * pixels * channels)
        dInput.update(repeating: 0, count: batch * pixels * channels)
        for o in 0..<(batch * channels) { dInput[argmax[o]] += gradOutput[o] }
        return UnsafePointer(dInput)
    }
}
