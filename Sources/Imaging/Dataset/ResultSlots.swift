import Foundation

/// Fixed slots that concurrent workers fill, each index written by exactly one
/// worker (guarded by a lock so the type is honestly Sendable).
final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { lock.withLock { slots[index] } }
        set { lock.withLock { slots[index] = newValue } }
    }

    /// All values; every slot must have been filled.
    var values: [Value] { lock.withLock { slots.map { $0! } } }
}
