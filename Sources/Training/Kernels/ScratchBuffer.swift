/// A heap buffer of `Float`s with a stable address, owned by one layer or
/// parameter and reused from step to step.
///
/// Kernels work on raw pointers; a `ScratchBuffer` hands out a pointer that
/// stays valid until the next ``reserve(_:)`` that has to grow it. Growing
/// never shrinks, so after the first step of a fixed batch size no further
/// allocation happens.
///
/// ```swift
/// let buffer = ScratchBuffer()
/// buffer.reserve(1024)
/// buffer.pointer[0] = 1
/// ```
public final class ScratchBuffer {
    /// Start of the buffer; valid for `capacity` elements.
    public private(set) var pointer: UnsafeMutablePointer<Float>
    /// Number of elements allocated.
    public private(set) var capacity: Int

    /// An empty buffer, or one of `count` zeros.
    public init(count: Int = 0) {
        capacity = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` elements and returns the pointer. Contents are
    /// kept when no growth is needed and are zero after a growth.
    /// - Complexity: O(1) unless the buffer grows.
    @discardableResult
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
            capacity = count
        }
        return pointer
    }

    /// Sets the first `count` elements to zero.
    public func zero(_ count: Int) {
        reserve(count).update(repeating: 0, count: count)
    }

    /// The first `count` elements, copied into an array.
    public func array(count: Int) -> [Float] {
        precondition(count <= capacity, "asked for \(count) elements of a \(capacity)-element buffer")
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
