/// The element-wise merging layers (``Add``, ``Subtract``, ``Multiply``,
/// ``Average``, ``Maximum``, ``Minimum``): inputs of the same rank whose
/// extents are equal or 1 (broadcast, as Keras allows: squeeze-and-excitation
/// multiplies `(h, w, c)` by `(1, 1, c)`). The backward pass sums a
/// broadcast input's gradient over the axes it was repeated along.
public class ElementwiseMerge: Layer {
    /// How the inputs combine.
    enum Operation { case add, subtract, multiply, average, maximum, minimum }

    public let typeName: String
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    let operation: Operation
    /// Per input, the offset within its sample of each output element (nil: the same shape as the
    /// output); computed on first use, so that building a large graph stays cheap.
    private lazy var sourceOffsets: [[Int32]?] = inputShapes.map {
        $0 == outputShape ? nil : ElementwiseMerge.offsets(of: $0, broadcastTo: outputShape)
    }
    private var inputShapes: [[Int]] = []
    private var inputSizes: [Int] = []
    private var lastInputs: [UnsafePointer<Float>] = []
    private let output = ScratchBuffer()
    private var gradInputs: [ScratchBuffer] = []

    init(_ operation: Operation, typeName: String, name: String) {
        self.operation = operation
        self.typeName = typeName
        self.name = name
    }

    public func build(inputShapes: [[Int]], seed: UInt64) throws -> [Int] {
        let fail = { (reason: String) in
            TrainingError.incompatibleShape(layer: self.name, inputShape: inputShapes.flatMap { $0 }, reason: reason)
        }
        guard inputShapes.count >= 2 else { throw fail("\(typeName) needs at least 2 inputs, got \(inputShapes.count)") }
        guard operation != .subtract || inputShapes.count == 2 else { throw fail("Subtract takes exactly 2 inputs") }
        let rank = inputShapes[0].count
        guard inputShapes.allSatisfy({ $0.count == rank }) else { throw fail("inputs of different ranks: \(inputShapes)") }
        var shape = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let extents = Set(inputShapes.map { $0[axis] }).subtracting([1])
            guard extents.count <= 1 else { throw fail("inputs \(inputShapes) differ on axis \(axis + 1) (only 1 broadcasts)") }
            shape[axis] = extents.first ?? 1
        }
        outputShape = shape
        inputSizes = inputShapes.map { $0.reduce(1, *) }
        self.inputShapes = inputShapes
        gradInputs = inputShapes.map { _ in ScratchBuffer() }
        return shape
    }

    /// For each element of `shape` (row-major), its offset in an input of `input`'s extents.
    static func offsets(of input: [Int], broadcastTo shape: [Int]) -> [Int32] {
        var strides = [Int](repeating: 0, count: shape.count)
        var stride = 1
        for axis in shape.indices.reversed() {
            strides[axis] = input[axis] == 1 ? 0 : stride
            stride *= input[axis]
        }
        let count = shape.reduce(1, *)
        var result = [Int32](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for element in 0..<count {
            result[element] = Int32(offset)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// Element `e` of sample `n` of input `i`.
    @inline(__always)
    private func value(_ i: Int, _ n: Int, _ e: Int) -> Float {
        let offset = sourceOffsets[i].map { Int($0[e]) } ?? e
        return lastInputs[i][n * inputSizes[i] + offset]
    }

    public func forward(_ inputs: [UnsafePointer<Float>], batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        lastInputs = inputs
        let size = outputSize
        let out = context.output(batch * size, else: output)
        let scale = 1 / Float(inputs.count)
        if sourceOffsets.allSatisfy({ $0 == nil }) {
            combineSameShapes(inputs, count: batch * size, into: out, scale: scale)
            return UnsafePointer(out)
        }
        for n in 0..<batch {
            for e in 0..<size {
                var y = value(0, n, e)
                for i in 1..<inputs.count {
                    let x = value(i, n, e)
                    switch operation {
                    case .add, .average: y += x
                    case .subtract: y -= x
                    case .multiply: y *= x
                    case .maximum: y = max(y, x)
                    case .minimum: y = min(y, x)
                    }
                }
                out[n * size + e] = operation == .average ? y * scale : y
            }
        }
        return UnsafePointer(out)
    }

    /// The forward pass when no input broadcasts: one vectorised pass per
    /// input, in chunks on the compute threads (sums (`add`) in SIMD).
    private func combineSameShapes(_ inputs: [UnsafePointer<Float>], count: Int, into out: UnsafeMutablePointer<Float>,
                                   scale: Float) {
        let operation = operation
        ParallelChunks.run(count: count, work: count * inputs.count) { range in
            let (start, n) = (range.lowerBound, range.count)
            let o = out + start
            if operation == .add || operation == .average {
                VectorKernels.add(inputs[0] + start, inputs[1] + start, into: o, count: n)
                for x in inputs.dropFirst(2) { VectorKernels.add(UnsafePointer(o), x + start, into: o, count: n) }
                if operation == .average { for k in 0..<n { o[k] *= scale } }
                return
            }
            o.update(from: inputs[0] + start, count: n)
            for input in inputs.dropFirst() {
                let x = input + start
                switch operation {
                case .subtract: for k in 0..<n { o[k] -= x[k] }
                case .multiply: for k in 0..<n { o[k] *= x[k] }
                case .maximum: for k in 0..<n { o[k] = max(o[k], x[k]) }
                case .minimum: for k in 0..<n { o[k] = min(o[k], x[k]) }
                case .add, .average: break
                }
            }
        }
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradients: [Bool]) -> [UnsafePointer<Float>?] {
        let size = outputSize
        let count = lastInputs.count
        return (0..<count).map { i -> UnsafePointer<Float>? in
            guard needsInputGradients[i] else { return nil }
            if sourceOffsets[i] == nil, operation == .add { return gradOutput }
            let dx = gradInputs[i].reserve(batch * inputSizes[i])
            dx.update(repeating: 0, count: batch * inputSizes[i])
            for n in 0..<batch {
                for e in 0..<size {
                    let dy = gradOutput[n * size + e]
                    let target = n * inputSizes[i] + (sourceOffsets[i].map { Int($0[e]) } ?? e)
                    dx[target] += dy * factor(of: i, n, e, inputs: count)
                }
            }
            return UnsafePointer(dx)
        }
    }

    /// d(output)/d(input i) at element `e` of sample `n`.
    private func factor(of i: Int, _ n: Int, _ e: Int, inputs count: Int) -> Float {
        switch operation {
        case .add: return 1
        case .subtract: return i == 0 ? 1 : -1
        case .average: return 1 / Float(count)
        case .multiply:
            var product: Float = 1
            for j in 0..<count where j != i { product *= value(j, n, e) }
            return product
        case .maximum, .minimum:
            // The gradient goes to the first input holding the extreme (TensorFlow's rule for ties).
            var best = 0
            for j in 1..<count {
                let x = value(j, n, e), b = value(best, n, e)
                if operation == .maximum ? x > b : x < b { best = j }
            }
            return best == i ? 1 : 0
        }
    }
}

/// Sums its inputs: `Add()([x, shortcut])`, Keras's residual connection.
public final class Add: ElementwiseMerge {
    /// `name` empty: the graph names it `add`, `add_1`...
    public init(name: String = "") { super.init(.add, typeName: "Add", name: name) }
}

/// The first input minus the second.
public final class Subtract: ElementwiseMerge {
    public init(name: String = "") { super.init(.subtract, typeName: "Subtract", name: name) }
}

/// The element-wise product of its inputs (squeeze-and-excitation's gating).
public final class Multiply: ElementwiseMerge {
    public init(name: String = "") { super.init(.multiply, typeName: "Multiply", name: name) }
}

/// The element-wise mean of its inputs.
public final class Average: ElementwiseMerge {
    public init(name: String = "") { super.init(.average, typeName: "Average", name: name) }
}

/// The element-wise maximum of its inputs.
public final class Maximum: ElementwiseMerge {
    public init(name: String = "") { super.init(.maximum, typeName: "Maximum", name: name) }
}

/// The element-wise minimum of its inputs.
public final class Minimum: ElementwiseMerge {
    public init(name: String = "") { super.init(.minimum, typeName: "Minimum", name: name) }
}
