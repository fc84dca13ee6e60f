/// Gives each sample a new shape with the same number of elements (Keras's
/// `Reshape`); one axis may be -1, inferred from the others. NHWC storage is
/// contiguous, so pointers pass through without copying.
///
/// ```swift
/// let toImage = try Reshape(targetShape: [28, 28, 1])
/// let rows = try Reshape(targetShape: [4, -1])
/// ```
public final class Reshape: UnaryLayer {
    public let typeName = "Reshape"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// The per-sample shape asked for, possibly with one -1.
    public let targetShape: [Int]

    /// Throws unless every extent is positive but at most one -1.
    public init(targetShape: [Int], name: String = "") throws {
        try require(!targetShape.isEmpty, "target_shape", targetShape, "needs at least one axis")
        try require(targetShape.allSatisfy { $0 > 0 || $0 == -1 }, "target_shape", targetShape, "extents must be positive or -1")
        try require(targetShape.filter { $0 == -1 }.count <= 1, "target_shape", targetShape, "at most one extent may be -1")
        self.targetShape = targetShape
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        let size = inputShape.reduce(1, *)
        let known = targetShape.filter { $0 != -1 }.reduce(1, *)
        guard targetShape.contains(-1) ? size % known == 0 : size == known else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape,
                                                  reason: "\(size) elements do not fit target shape \(targetShape)")
        }
        outputShape = targetShape.map { $0 == -1 ? size / known : $0 }
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        input
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        needsInputGradient ? gradOutput : nil
    }
}
