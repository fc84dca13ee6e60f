/// A stand-alone activation layer (softmax over the last axis).
///
/// ```swift
/// let act = try Activation(.leakyRelu(alpha: 0.1))
/// let smooth = try Activation(.gelu())
/// ```
public final class Activation: UnaryLayer, LogitsOutput {
    public let typeName = "Activation"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    public let function: ActivationFunction
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()
    private var lastInput: UnsafePointer<Float>?

    /// Throws on an out-of-range activation parameter.
    public init(_ function: ActivationFunction, name: String = "") throws {
        try function.validate()
        self.function = function
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        outputShape = inputShape
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let count = batch * outputSize
        let out = context.output(count, else: output)
        out.update(from: input, count: count)
        function.apply(out, count: count, width: outputShape.last ?? 1)
        lastInput = input
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let count = batch * outputSize
        let dInput = BackwardArena.gradient(count, else: gradInput)
        function.backward(input: lastInput, output: output.pointer, gradOutput: gradOutput, into: dInput, count: count,
                          width: outputShape.last ?? 1)
        return UnsafePointer(dInput)
    }

    var outputActivation: ActivationFunction { function }
    var logits: UnsafePointer<Float> { lastInput! }

    func backward(logitsGradient: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        needsInputGradient ? logitsGradient : nil
    }
}
