/// The heap memory behind a ``Tensor`` (`Float`s) or a batch's ``ClassIndices`` (`Int32`s):
/// `count` elements at one address for the object's whole life, released when the last
/// reference goes.
///
/// A `Tensor` shares its storage on copy and copies it before its first write
/// while shared (copy-on-write), so a storage object stands for one value.
/// Pointers to the elements exist only inside the closures of
/// ``withUnsafeMutableBufferPointer(_:)`` and ``withUnsafeBufferPointer(_:)``,
/// which keep the object alive for their duration.
///
/// A producer that fills storage before it becomes a tensor (the data loader's
/// batch buffers) writes through those closures and then hands the object over
/// with ``Tensor/init(shape:storage:)``, without a copy.
///
/// ```swift
/// let storage = TensorStorage(count: 6)
/// storage.withUnsafeMutableBufferPointer { $0[5] = 1 }
/// let t = Tensor(shape: [2, 3], storage: storage)
/// ```
public final class ScalarStorage<Scalar: BitwiseCopyable>: @unchecked Sendable {
    // @unchecked: the elements are plain memory; `Tensor` writes only to storage it holds
    // uniquely, and producers that write before hand-over synchronise their writers themselves.
    @usableFromInline let base: UnsafeMutablePointer<Scalar>
    /// Number of elements.
    public let count: Int

    /// `count` elements, each `value`.
    public init(count: Int, repeating value: Scalar) {
        precondition(count >= 0, "negative element count \(count)")
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: count)
    }

    /// A copy of `values`.
    public init(copying values: UnsafeBufferPointer<Scalar>) {
        count = values.count
        base = .allocate(capacity: max(count, 1))
        if let source = values.baseAddress { base.initialize(from: source, count: count) }
    }

    deinit { base.deallocate() }

    /// Calls `body` with the elements, writable; the pointer is valid only inside `body`.
    @inlinable
    public func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Scalar>) throws(E) -> R
    ) throws(E) -> R {
        defer { withExtendedLifetime(self) {} }
        return try body(UnsafeMutableBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the elements; the pointer is valid only inside `body`.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Scalar>) throws(E) -> R
    ) throws(E) -> R {
        defer { withExtendedLifetime(self) {} }
        return try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// A new storage object holding the same elements.
    func copy() -> ScalarStorage {
        withUnsafeBufferPointer { ScalarStorage(copying: $0) }
    }
}

extension ScalarStorage where Scalar: Numeric {
    /// `count` zeros.
    public convenience init(count: Int) {
        self.init(count: count, repeating: 0)
    }
}

/// The `Float` storage of a ``Tensor``.
public typealias TensorStorage = ScalarStorage<Float>
