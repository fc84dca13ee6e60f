/// Adds rows and columns of zeros around each image (Keras's `ZeroPadding2D`).
///
/// ```swift
/// let pad = try ZeroPadding2D(padding: 1)                 // 1 on every side
/// let tall = try ZeroPadding2D(padding: (2, 1))           // 2 rows, 1 column each side
/// let asym = try ZeroPadding2D(padding: ((0, 1), (0, 1))) // bottom and right only
/// ```
public final class ZeroPadding2D: UnaryLayer {
    public let typeName = "ZeroPadding2D"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// Zeros added at each edge.
    public let padding: Margins2D
    private var inputShape: [Int] = []
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()

    /// `((top, bottom), (left, right))`; throws on a negative margin.
    public init(padding: ((Int, Int), (Int, Int)), name: String = "") throws {
        self.padding = Margins2D(padding)
        try self.padding.validate("padding")
        self.name = name
    }

    /// `(rows, columns)` added at both ends of each axis (Keras's default (1, 1)).
    public convenience init(padding: (Int, Int) = (1, 1), name: String = "") throws {
        try self.init(padding: ((padding.0, padding.0), (padding.1, padding.1)), name: name)
    }

    /// The same margin on every side.
    public convenience init(padding: Int, name: String = "") throws {
        try self.init(padding: (padding, padding), name: name)
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "needs (height, width, channels)")
        }
        self.inputShape = inputShape
        outputShape = [inputShape[0] + padding.top + padding.bottom, inputShape[1] + padding.left + padding.right, inputShape[2]]
        return outputShape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let out = context.output(batch * outputSize, else: output)
        out.update(repeating: 0, count: batch * outputSize)
        ImageWindow.copy(batch: batch, channels: inputShape[2], window: (inputShape[0], inputShape[1]),
                         from: input, size: (inputShape[0], inputShape[1]), origin: (0, 0),
                         to: out, size: (outputShape[0], outputShape[1]), origin: (padding.top, padding.left))
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let dInput = BackwardArena.gradient(batch * inputShape.reduce(1, *), else: gradInput)
        ImageWindow.copy(batch: batch, channels: inputShape[2], window: (inputShape[0], inputShape[1]),
                         from: gradOutput, size: (outputShape[0], outputShape[1]), origin: (padding.top, padding.left),
                         to: dInput, size: (inputShape[0], inputShape[1]), origin: (0, 0))
        return UnsafePointer(dInput)
    }
}
