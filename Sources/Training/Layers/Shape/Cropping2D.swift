/// Removes rows and columns at the edges of each image (Keras's `Cropping2D`).
///
/// ```swift
/// let trim = try Cropping2D(cropping: 2)                  // 2 off every side
/// let rows = try Cropping2D(cropping: (1, 0))             // 1 row off top and bottom
/// let corner = try Cropping2D(cropping: ((0, 1), (0, 1))) // bottom row, right column
/// ```
public final class Cropping2D: UnaryLayer {
    public let typeName = "Cropping2D"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// Rows and columns removed at each edge.
    public let cropping: Margins2D
    private var inputShape: [Int] = []
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()

    /// `((top, bottom), (left, right))` (Keras's default: nothing); throws on a negative margin.
    public init(cropping: ((Int, Int), (Int, Int)) = ((0, 0), (0, 0)), name: String = "") throws {
        self.cropping = Margins2D(cropping)
        try self.cropping.validate("cropping")
        self.name = name
    }

    /// `(rows, columns)` removed at both ends of each axis.
    public convenience init(cropping: (Int, Int), name: String = "") throws {
        try self.init(cropping: ((cropping.0, cropping.0), (cropping.1, cropping.1)), name: name)
    }

    /// The same margin on every side.
    public convenience init(cropping: Int, name: String = "") throws {
        try self.init(cropping: (cropping, cropping), name: name)
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "needs (height, width, channels)")
        }
        let height = inputShape[0] - cropping.top - cropping.bottom, width = inputShape[1] - cropping.left - cropping.right
        guard height > 0, width > 0 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "cropping \(cropping) leaves nothing")
        }
        self.inputShape = inputShape
        outputShape = [height, width, inputShape[2]]
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let out = context.output(batch * outputSize, else: output)
        ImageWindow.copy(batch: batch, channels: inputShape[2], window: (outputShape[0], outputShape[1]),
                         from: input, size: (inputShape[0], inputShape[1]), origin: (cropping.top, cropping.left),
                         to: out, size: (outputShape[0], outputShape[1]), origin: (0, 0))
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let count = batch * inputShape.reduce(1, *)
        let dInput = gradInput.reserve(count)
        dInput.update(repeating: 0, count: count)
        ImageWindow.copy(batch: batch, channels: inputShape[2], window: (outputShape[0], outputShape[1]),
                         from: gradOutput, size: (outputShape[0], outputShape[1]), origin: (0, 0),
                         to: dInput, size: (inputShape[0], inputShape[1]), origin: (cropping.top, cropping.left))
        return UnsafePointer(dInput)
    }
}
