/// The activation buffers of an inference pass, planned by liveness: a
/// layer's output comes from a pool, and goes back to it as soon as the last
/// node that reads it has run, so a pass holds the live activations only,
/// not one buffer per layer.
///
/// The graph runner gives it to layers through ``ForwardContext/arena`` in
/// inference (training keeps every activation for the backward pass, in the
/// layers' own buffers). One pass uses it at a time.
final class ActivationArena: @unchecked Sendable {
    private var free: [ScratchBuffer] = []
    private var lent: [UnsafeMutablePointer<Float>: ScratchBuffer] = [:]
    /// The most buffers lent at once since the arena was made.
    private(set) var peakLent = 0
    /// Bytes of every buffer the arena holds, lent or free: its peak, since buffers only grow.
    var bytes: Int { (free + lent.values).reduce(0) { $0 + $1.capacity } * MemoryLayout<Float>.size }

    /// A buffer of at least `count` values: the smallest free one that fits,
    /// else the largest free one grown, else a new one.
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let fitting = free.indices.filter { free[$0].capacity >= count }
        let index = fitting.min { free[$0].capacity < free[$1].capacity }
            ?? free.indices.max { free[$0].capacity < free[$1].capacity }
        let buffer = index.map { free.remove(at: $0) } ?? ScratchBuffer()
        let pointer = buffer.reserve(count)
        lent[pointer] = buffer
        peakLent = max(peakLent, lent.count)
        return pointer
    }

    /// Takes back the buffer that starts at `pointer`, if the arena lent it.
    func release(_ pointer: UnsafePointer<Float>) {
        if let buffer = lent.removeValue(forKey: UnsafeMutablePointer(mutating: pointer)) { free.append(buffer) }
    }

    /// Takes back every buffer (at the start of a pass).
    func reset() {
        free += lent.values
        lent.removeAll()
    }
}

/// The arena of the backward pass running on this task or thread: the
/// graph runner sets it while it walks its steps, and layers take the
/// input gradients they return from it (``gradient(_:else:)``), so a pass
/// holds the gradients still to be read, not one buffer per layer. The
/// runner returns each to the arena once every node given it has run.
enum BackwardArena {
    @TaskLocal static var current: ActivationArena?

    /// Room for `count` gradient values: from the current backward pass's
    /// arena, else (a layer used outside a graph) from `buffer`.
    static func gradient(_ count: Int, else buffer: ScratchBuffer) -> UnsafeMutablePointer<Float> {
        current?.take(count) ?? buffer.reserve(count)
    }
}
