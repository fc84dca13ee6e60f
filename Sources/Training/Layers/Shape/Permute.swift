/// Reorders the axes of each sample (Keras's `Permute`): output axis `i`
/// is input axis `dims[i]`, counted from 1 (the batch axis is 0 and stays).
///
/// ```swift
/// let swapHW = try Permute(dims: [2, 1, 3])   // (h, w, c) → (w, h, c)
/// ```
public final class Permute: UnaryLayer {
    public let typeName = "Permute"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// A permutation of 1...rank.
    public let dims: [Int]
    /// For each output element of a sample, in order, its input offset.
    private var sourceOffsets: [Int] = []
    private let output = ScratchBuffer()
    private let gradInput = ScratchBuffer()

    /// Throws unless `dims` is a permutation of 1...dims.count.
    public init(dims: [Int], name: String = "") throws {
        try require(!dims.isEmpty && dims.sorted() == Array(1...dims.count), "dims", dims,
                    "must be a permutation of 1...\(max(dims.count, 1))")
        self.dims = dims
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == dims.count else {
            throw TrainingError.incompatibleShape(layer: name, inputShape: inputShape,
                                                  reason: "dims \(dims) permute \(dims.count) axes, the input has \(inputShape.count)")
        }
        var inputStrides = [Int](repeating: 1, count: inputShape.count)
        for axis in stride(from: inputShape.count - 2, through: 0, by: -1) {
            inputStrides[axis] = inputStrides[axis + 1] * inputShape[axis + 1]
        }
        outputShape = dims.map { inputShape[$0 - 1] }
        let strides = dims.map { inputStrides[$0 - 1] }
        sourceOffsets = []
        sourceOffsets.reserveCapacity(outputSize)
        var index = [Int](repeating: 0, count: outputShape.count)
        for _ in 0..<outputSize {
            sourceOffsets.append(zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 })
            var axis = outputShape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < outputShape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return outputShape
    }

    /// - Complexity: O(batch · sample size).
    public func forward(_ input: UnsafePointer<Float>, batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let size = outputSize
        let out = context.output(batch * size, else: output)
        for n in 0..<batch {
            let source = input + n * size, target = out + n * size
            for (o, i) in sourceOffsets.enumerated() { target[o] = source[i] }
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        let size = outputSize
        let dInput = gradInput.reserve(batch * size)
        for n in 0..<batch {
            let source = gradOutput + n * size, target = dInput + n * size
            for (o, i) in sourceOffsets.enumerated() { target[i] = source[o] }
        }
        return UnsafePointer(dInput)
    }
}
