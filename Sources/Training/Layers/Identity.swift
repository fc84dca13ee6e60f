/// Passes its input through unchanged (Keras's `Identity`): a named node,
/// e.g. the shortcut of a residual block.
///
/// ```swift
/// let shortcut = try Identity(name: "shortcut")(x)
/// ```
public final class Identity: UnaryLayer {
    public let typeName = "Identity"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// `name` empty: the model names it `identity`, `identity_1`...
    public init(name: String = "") { self.name = name }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        input
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        needsInputGradient ? gradOutput : nil
    }
}
