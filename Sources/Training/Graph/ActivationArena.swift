/// The activation buffers of an inference pass, planned by liveness: a
/// layer's output comes from a pool, and goes back to it as soon as the last
/// node that reads it has run, so a pass holds the live activations only,
/// not one buffer per layer.
///
/// The graph runner gives it to layers through ``ForwardContext/arena`` in
/// inference (training keeps every activation for the backward pass, in the
/// layers' own buffers). One pass uses it at a time.
///
/// Passes of one model take and return the same sizes in the same order, so
/// a pass replays the previous pass's choice of buffer for each take when the
/// size is the same and that buffer is free: from the second pass on no
/// buffer grows (growing reallocates, and the fresh pages cost a fault and a
/// zero fill each, every pass, when best-fit choices kept changing). An arena
/// that serves two kinds of pass in turn (a training step's forward and
/// backward) keeps one history per kind (``reset(replaying:)``).
final class ActivationArena: @unchecked Sendable {
    private var buffers: [ScratchBuffer] = []
    /// Indices into `buffers`.
    private var free: [Int] = []
    private var lent: [UnsafeMutablePointer<Float>: Int] = [:]
    /// The size and buffer of each take of the previous pass of each kind, and of this one, in order.
    private var histories: [Int: [(count: Int, buffer: Int)]] = [:]
    private var previous: [(count: Int, buffer: Int)] = []
    private var current: [(count: Int, buffer: Int)] = []
    private var kind = 0
    /// The most buffers lent at once since the arena was made.
    private(set) var peakLent = 0
    /// How many takes made or grew a buffer since the arena was made.
    private(set) var growths = 0
    /// Bytes of every buffer the arena holds, lent or free: its peak, since buffers only grow.
    var bytes: Int { buffers.reduce(0) { $0 + $1.capacity } * MemoryLayout<Float>.size }

    /// A buffer of at least `count` values: the one the previous pass's take
    /// at this position had, if free and of the same size; else the smallest
    /// free one that fits, else the largest free one grown, else a new one.
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let ordinal = current.count
        var position: Int?
        if ordinal < previous.count, previous[ordinal].count == count {
            position = free.firstIndex(of: previous[ordinal].buffer)
        }
        if position == nil {
            let fitting = free.indices.filter { buffers[free[$0]].capacity >= count }
            position = fitting.min { buffers[free[$0]].capacity < buffers[free[$1]].capacity }
                ?? free.indices.max { buffers[free[$0]].capacity < buffers[free[$1]].capacity }
        }
        let index: Int
        if let position {
            index = free.remove(at: position)
        } else {
            index = buffers.count
            buffers.append(ScratchBuffer())
        }
        if buffers[index].capacity < count { growths += 1 }
        let pointer = buffers[index].reserve(count)
        lent[pointer] = index
        current.append((count, index))
        peakLent = max(peakLent, lent.count)
        return pointer
    }

    /// Takes back the buffer that starts at `pointer`, if the arena lent it.
    func release(_ pointer: UnsafePointer<Float>) {
        if let index = lent.removeValue(forKey: UnsafeMutablePointer(mutating: pointer)) { free.append(index) }
    }

    /// Takes back every buffer (at the start of a pass); the pass replays
    /// the last pass of the same `kind`.
    func reset(replaying kind: Int = 0) {
        free = Array(buffers.indices)
        lent.removeAll()
        if !current.isEmpty { histories[self.kind] = current }
        self.kind = kind
        previous = histories[kind] ?? []
        current.removeAll(keepingCapacity: true)
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
