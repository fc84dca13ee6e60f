/// Enlarges each image by whole factors (Keras's `UpSampling2D`): nearest
/// repeats rows and columns; bilinear interpolates with half-pixel centres,
/// as Keras's `ops.image.resize` (TensorFlow's `tf.image.resize`) does.
///
/// ```swift
/// let twice = try UpSampling2D()                                   // (h, w) → (2h, 2w)
/// let smooth = try UpSampling2D(size: (2, 3), interpolation: .bilinear)
/// ```
public final class UpSampling2D: UnaryLayer {
    /// How output pixels take their values.
    public enum Interpolation: String, Sendable {
        case nearest, bilinear
    }

    public let typeName = "UpSampling2D"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// (rows, columns) factors.
    public let size: (Int, Int)
    public let interpolation: Interpolation
    private var inputShape: [Int] = []
    private var rows: [ResizeTap] = []
    private var columns: [ResizeTap] = []
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()

    /// Throws unless both factors are positive.
    public init(size: (Int, Int) = (2, 2), interpolation: Interpolation = .nearest, name: String = "") throws {
        try require(size.0 > 0 && size.1 > 0, "size", size, "factors must be positive")
        self.size = size
        self.interpolation = interpolation
        self.name = name
    }

    /// The same factor for rows and columns.
    public convenience init(size: Int, interpolation: Interpolation = .nearest, name: String = "") throws {
        try self.init(size: (size, size), interpolation: interpolation, name: name)
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape, reason: "needs (height, width, channels)")
        }
        self.inputShape = inputShape
        outputShape = [inputShape[0] * size.0, inputShape[1] * size.1, inputShape[2]]
        rows = ResizeTap.taps(from: inputShape[0], to: outputShape[0], interpolation: interpolation)
        columns = ResizeTap.taps(from: inputShape[1], to: outputShape[1], interpolation: interpolation)
        return outputShape
    }

    /// - Complexity: O(batch · output size).
    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let (inH, inW, channels) = (inputShape[0], inputShape[1], inputShape[2])
        let out = context.output(batch * outputSize, else: output)
        var o = 0
        for n in 0..<batch {
            let image = input + n * inH * inW * channels
            for row in rows {
                let top = image + row.lower * inW * channels, bottom = image + row.upper * inW * channels
                for column in columns {
                    let l = column.lower * channels, r = column.upper * channels
                    for c in 0..<channels {
                        let upper = top[l + c] + (top[r + c] - top[l + c]) * column.lerp
                        let lower = bottom[l + c] + (bottom[r + c] - bottom[l + c]) * column.lerp
                        out[o] = upper + (lower - upper) * row.lerp
                        o += 1
                    }
                }
            }
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let (inH, inW, channels) = (inputShape[0], inputShape[1], inputShape[2])
        let count = batch * inH * inW * channels
        let dInput = gradInput.reserve(count)
        dInput.update(repeating: 0, count: count)
        var o = 0
        for n in 0..<batch {
            let image = dInput + n * inH * inW * channels
            for row in rows {
                let top = image + row.lower * inW * channels, bottom = image + row.upper * inW * channels
                for column in columns {
                    let l = column.lower * channels, r = column.upper * channels
                    for c in 0..<channels {
                        let g = gradOutput[o]
                        o += 1
                        let upper = g * (1 - row.lerp), lower = g * row.lerp
                        top[l + c] += upper * (1 - column.lerp)
                        top[r + c] += upper * column.lerp
                        bottom[l + c] += lower * (1 - column.lerp)
                        bottom[r + c] += lower * column.lerp
                    }
                }
            }
        }
        return UnsafePointer(dInput)
    }
}

/// Where one output row (or column) of a resize reads: `lower` and `upper`
/// input indices and the weight `lerp` of `upper`.
struct ResizeTap {
    var lower: Int
    var upper: Int
    var lerp: Float

    /// Taps of an `inSize` → `outSize` resize. Bilinear follows TensorFlow's
    /// `compute_interpolation_weights` with half-pixel centres: source
    /// `(i + 0.5) · in/out − 0.5`, indices clamped to the image; nearest
    /// reads input `i · in / out` (whole factors: Keras repeats).
    static func taps(from inSize: Int, to outSize: Int, interpolation: UpSampling2D.Interpolation) -> [ResizeTap] {
        let scale = Float(inSize) / Float(outSize)
        return (0..<outSize).map { i in
            switch interpolation {
            case .nearest:
                let source = i * inSize / outSize
                return ResizeTap(lower: source, upper: source, lerp: 0)
            case .bilinear:
                let position = (Float(i) + 0.5) * scale - 0.5
                let floor = position.rounded(.down)
                return ResizeTap(lower: max(Int(floor), 0), upper: min(Int(position.rounded(.up)), inSize - 1), lerp: position - floor)
            }
        }
    }
}
