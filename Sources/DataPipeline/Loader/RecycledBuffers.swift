/// One buffer per batch in the production's window (batch `b` uses `b % depth`), handed to
/// the consumer as is when its batch is delivered: the buffer is then replaced by the one
/// handed out at the previous delivery when the consumer has let go of it, else by a new
/// one, so an epoch normally allocates `depth + 1` buffers and a buffer the consumer still
/// holds is never written again.
///
/// The references sit in raw memory rather than a Swift array: the consumer replaces one
/// entry while workers read others, which an array's copy-on-write check would turn into a
/// data race. A slot may start empty (``buffer(batch:)`` then makes it; the caller
/// serialises that with the production's lock).
final class RecycledBuffers<Storage: AnyObject>: @unchecked Sendable {
    let depth: Int
    private let make: () -> Storage
    private let buffers: UnsafeMutablePointer<Storage?>
    /// The buffer handed out at the last delivery, reused for the next one if nobody else holds it.
    private var handedOut: Storage?

    /// - Parameter eager: make every buffer now (else on first use).
    init(depth: Int, eager: Bool, make: @escaping () -> Storage) {
        self.depth = depth
        self.make = make
        buffers = .allocate(capacity: depth)
        buffers.initialize(from: (0..<depth).map { _ in eager ? make() : nil }, count: depth)
    }

    deinit {
        buffers.deinitialize(count: depth)
        buffers.deallocate()
    }

    /// `batch`'s buffer, made now if its slot is empty.
    func buffer(batch: Int) -> Storage {
        let index = batch % depth
        if let existing = buffers[index] { return existing }
        let made = make()
        buffers[index] = made
        return made
    }

    /// `batch`'s buffer for delivery (made if it was never used), its slot refilled with the
    /// previous delivery's buffer when that one is free, else with a new one.
    func take(batch: Int) -> Storage {
        let full = buffer(batch: batch)
        var next = handedOut
        handedOut = nil
        if !isKnownUniquelyReferenced(&next) { next = make() }
        buffers[batch % depth] = next
        handedOut = full
        return full
    }
}
