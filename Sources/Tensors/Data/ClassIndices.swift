/// The `Int32` storage of ``ClassIndices`` (written by its producer, the data loader's mask
/// buffers, before hand-over with ``ClassIndices/init(shape:storage:)``; read-only after).
public typealias ClassIndexStorage = ScalarStorage<Int32>

/// A batch's segmentation masks as `[N, H, W]` Int32 class indices, row-major: an immutable
/// value over a ``ClassIndexStorage`` (shared, never copied, when the loader hands a batch over).
///
/// ```swift
/// let masks = ClassIndices(shape: [2, 1, 2], values: [1, 255, 0, 2])
/// masks.values   // [1, 255, 0, 2]
/// ```
public struct ClassIndices: Sendable, Equatable, CustomStringConvertible {
    /// `[N, H, W]`.
    public let shape: [Int]
    private let storage: ClassIndexStorage

    /// The indices `values` (`shape`'s product of them).
    public init(shape: [Int], values: [Int32]) {
        precondition(shape.reduce(1, *) == values.count, "\(values.count) class indices for shape \(shape)")
        self.shape = shape
        storage = values.withUnsafeBufferPointer { ClassIndexStorage(copying: $0) }
    }

    /// The first `shape`'s product of `storage`'s elements, without a copy.
    public init(shape: [Int], storage: ClassIndexStorage) {
        precondition(shape.reduce(1, *) <= storage.count, "shape \(shape) needs more than the storage's \(storage.count) elements")
        self.shape = shape
        self.storage = storage
    }

    /// A copy of the indices.
    public var values: [Int32] { withUnsafeBufferPointer { Array($0) } }

    /// Calls `body` with the indices; the pointer is valid only inside `body`.
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Int32>) throws(E) -> R) throws(E) -> R {
        let count = shape.reduce(1, *)
        return try storage.withUnsafeBufferPointer { (all) throws(E) -> R in try body(UnsafeBufferPointer(rebasing: all[0..<count])) }
    }

    public static func == (lhs: ClassIndices, rhs: ClassIndices) -> Bool {
        lhs.shape == rhs.shape && lhs.withUnsafeBufferPointer { a in rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }

    public var description: String { "ClassIndices(shape: \(shape), values: \(values))" }
}
