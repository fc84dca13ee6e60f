/// Joins its inputs along `axis` (default the last, channels): Keras's
/// `Concatenate`, as in Inception and DenseNet blocks. The other extents must match.
public final class Concatenate: Layer {
    public let typeName = "Concatenate"
    public var name: String
    public var trainable = true
    public let parameters: [Parameter] = []
    public private(set) var outputShape: [Int] = []

    /// Axis as Keras counts it: −1 is the last, 1 the first after the batch.
    public let axis: Int
    /// Per input: elements of one slab (its extent on `axis` × the axes after it).
    private var slabs: [Int] = []
    /// Number of slabs per sample (the product of the axes before `axis`).
    private var outer = 0
    private let output = ScratchBuffer()
    private var gradInputs: [ScratchBuffer] = []

    /// Throws when `axis` is 0 (the batch axis).
    public init(axis: Int = -1, name: String = "") throws {
        try require(axis != 0, "axis", axis, "cannot concatenate along the batch axis")
        self.axis = axis
        self.name = name
    }

    public func build(inputShapes: [[Int]], seed: UInt64) throws -> [Int] {
        let fail = { (reason: String) in
            TrainingError.incompatibleShape(layer: self.name, inputShape: inputShapes.flatMap { $0 }, reason: reason)
        }
        guard inputShapes.count >= 2 else { throw fail("Concatenate needs at least 2 inputs, got \(inputShapes.count)") }
        let rank = inputShapes[0].count
        let at = axis < 0 ? rank + axis : axis - 1
        guard at >= 0, at < rank else { throw fail("axis \(axis) is outside inputs of rank \(rank + 1) (with the batch)") }
        for shape in inputShapes {
            guard shape.count == rank,
                  shape.indices.allSatisfy({ $0 == at || shape[$0] == inputShapes[0][$0] }) else {
                throw fail("inputs \(inputShapes) differ outside axis \(axis)")
            }
        }
        var shape = inputShapes[0]
        shape[at] = inputShapes.reduce(0) { $0 + $1[at] }
        outer = shape[..<at].reduce(1, *)
        let inner = shape[(at + 1)...].reduce(1, *)
        slabs = inputShapes.map { $0[at] * inner }
        gradInputs = inputShapes.map { _ in ScratchBuffer() }
        outputShape = shape
        return shape
    }

    public func forward(_ inputs: [UnsafePointer<Float>], batch: Int, context: ForwardContext) -> UnsafePointer<Float> {
        let width = slabs.reduce(0, +)
        let out = context.output(batch * outer * width, else: output)
        for row in 0..<(batch * outer) {
            var column = 0
            for (input, slab) in zip(inputs, slabs) {
                (out + row * width + column).update(from: input + row * slab, count: slab)
                column += slab
            }
        }
        return UnsafePointer(out)
    }

    public func backward(_ gradOutput: UnsafePointer<Float>, batch: Int, needsInputGradients: [Bool]) -> [UnsafePointer<Float>?] {
        let width = slabs.reduce(0, +)
        var column = 0
        return slabs.indices.map { i -> UnsafePointer<Float>? in
            defer { column += slabs[i] }
            guard needsInputGradients[i] else { return nil }
            let slab = slabs[i]
            let dx = gradInputs[i].reserve(batch * outer * slab)
            for row in 0..<(batch * outer) {
                (dx + row * slab).update(from: gradOutput + row * width + column, count: slab)
            }
            return UnsafePointer(dx)
        }
    }
}
