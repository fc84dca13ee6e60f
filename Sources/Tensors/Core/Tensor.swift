/// A dense, contiguous, row-major Float32 tensor.
///
/// ```swift
/// var t = Tensor(shape: [2, 3])
/// t[[1, 2]] = 5
/// t.count // 6
/// ```
public struct Tensor: Sendable, Equatable {
    /// Extent of each axis, outermost first.
    public private(set) var shape: [Int]
    /// `shape.reduce(1, *)` elements, last axis fastest.
    public var storage: [Float]

    /// A zero-filled tensor of the given shape.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        self.storage = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// Wraps `storage`; its count must equal the product of `shape`.
    public init(shape: [Int], storage: [Float]) {
        precondition(storage.count == shape.reduce(1, *),
                     "storage of \(storage.count) elements does not fit shape \(shape)")
        self.shape = shape
        self.storage = storage
    }

    /// Number of elements.
    public var count: Int { storage.count }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// Row-major offset of a full index.
    public func offset(of index: [Int]) -> Int {
        precondition(index.count == shape.count, "index rank \(index.count) != tensor rank \(shape.count)")
        var offset = 0
        for (i, extent) in zip(index, shape) {
            precondition(i >= 0 && i < extent, "index \(index) out of bounds for shape \(shape)")
            offset = offset * extent + i
        }
        return offset
    }

    /// The element at a full index.
    public subscript(index: [Int]) -> Float {
        get { storage[offset(of: index)] }
        set { storage[offset(of: index)] = newValue }
    }

    /// The same elements under a new shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }
}
