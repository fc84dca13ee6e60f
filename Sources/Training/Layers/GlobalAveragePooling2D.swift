/// Averages each channel over height and width: `(h, w, c)` → `(c)`, or
/// `(1, 1, c)` with `keepdims`.
///
/// ```swift
/// let pool = GlobalAveragePooling2D(keepdims: true)
/// ```
public final class GlobalAveragePooling2D: UnaryLayer {
    public let typeName = "GlobalAveragePooling2D"
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
        out.update(repeating: 0, count: batch * channels)
        let scale = 1 / Float(pixels)
        for n in 0..<batch {
            let o = out + n * channels
            for p in 0..<pixels {
                let row = input + (n * pixels + p) * channels
                for c in 0..<channels { o[c] += row[c] }
            }
            for c in 0..<channels { o[c] *= scale }
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let dInput = BackwardArena.gradient(batch * pixels * channels, else: gradInput)
        let scale = 1 / Float(pixels)
        for n in 0..<batch {
            for p in 0..<pixels {
                let row = dInput + (n * pixels + p) * channels
                for c in 0..<channels { row[c] = gradOutput[n * channels + c] * scale }
            }
        }
        return UnsafePointer(dInput)
    }
}
