/// Flattens each sample to one axis. NHWC storage is already flat, so the
/// layer passes pointers through without copying.
public final class Flatten: UnaryLayer {
    public let typeName = "Flatten"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// `name` empty: the model names it `flatten`, `flatten_1`...
    public init(name: String = "") { self.name = name }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        outputShape = [inputShape.reduce(1, *)]
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        input
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        needsInputGradient ? gradOutput : nil
    }
}
