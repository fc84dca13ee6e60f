/// A dense, contiguous, row-major Float32 tensor.
///
/// A value type: copies share one ``TensorStorage`` until one of them is
/// written (copy-on-write). Elements are read as an array (``scalars``), one at
/// a time (the subscript), or through a pointer that is valid only inside the
/// closure of ``withUnsafeBufferPointer(_:)`` or
/// ``withUnsafeMutableBufferPointer(_:)``.
///
/// ```swift
/// var t = Tensor(shape: [2, 3])
/// t[[1, 2]] = 5
/// t.count // 6
/// ```
public struct Tensor: Sendable, Equatable {
    /// Extent of each axis, outermost first.
    public private(set) var shape: [Int]
    private var storage: TensorStorage

    /// A tensor of the given shape, every element `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        storage = TensorStorage(count: shape.reduce(1, *), repeating: value)
    }

    /// A copy of `scalars` under `shape`; the counts must agree.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(scalars.count == shape.reduce(1, *),
                     "\(scalars.count) elements do not fit shape \(shape)")
        self.shape = shape
        storage = scalars.withUnsafeBufferPointer { TensorStorage(copying: $0) }
    }

    /// Takes `storage` as the tensor's elements, without copying; the counts must agree.
    /// Whoever else holds `storage` must not write to it afterwards.
    public init(shape: [Int], storage: TensorStorage) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(storage.count == shape.reduce(1, *),
                     "storage of \(storage.count) elements does not fit shape \(shape)")
        self.shape = shape
        self.storage = storage
    }

    /// Number of elements.
    public var count: Int { storage.count }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// The elements in row-major order, as a new array.
    public var scalars: [Float] { withUnsafeBufferPointer { Array($0) } }

    /// The elements `range` (flat, row-major offsets), as a new array.
    public func scalars(_ range: Range<Int>) -> [Float] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range \(range) outside \(count) elements")
        return withUnsafeBufferPointer { Array($0[range]) }
    }

    /// Calls `body` with the elements; the pointer is valid only inside `body`.
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the elements, writable, after copying them if this
    /// tensor shares its storage; the pointer is valid only inside `body`.
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try storage.withUnsafeMutableBufferPointer(body)
    }

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
        get { withUnsafeBufferPointer { $0[offset(of: index)] } }
        set {
            let at = offset(of: index)
            withUnsafeMutableBufferPointer { $0[at] = newValue }
        }
    }

    /// The same elements under a new shape with the same element count (shared, not copied).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// Equal shapes and equal elements (element `==`, so a NaN is equal to nothing).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        return lhs.withUnsafeBufferPointer { a in rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}
