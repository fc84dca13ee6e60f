/// `depth` input buffers of `batchSize × sampleSize` Floats that workers render
/// into and the consumer receives without a copy. Batch `b` uses buffer
/// `b % depth`; the production's window guarantees that no two live batches
/// share one. `slot` and the owner methods are called under the production's
/// lock; `takeInputs` by the single consumer, before the window moves past the
/// batch (so no worker reads that buffer's slot pointer meanwhile).
///
/// Each buffer is a `[Float]` that becomes the batch's `Tensor` storage as is.
/// Workers write its elements through a pointer pinned once from
/// `withUnsafeMutableBufferPointer`: the array is uniquely referenced, never
/// resized and not read through Swift while workers write, so its element
/// storage stays where it is. On delivery the buffer is replaced by the array
/// handed out at the previous delivery, which the consumer has normally let go
/// of by then (otherwise pinning copies it, as the former copy-out did), so an
/// epoch allocates `depth + 1` buffers. The pool keeps a reference to the
/// array it handed out last: a consumer that mutates that batch in place
/// copies it first (copy-on-write), and its values are never overwritten.
final class BatchPool: @unchecked Sendable {
    let depth: Int
    let batchSize: Int
    let sampleSize: Int
    private var buffers: [[Float]]
    /// Where each buffer's elements live (raw storage: the consumer replaces one entry while
    /// workers read others).
    private let bases: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    /// The array handed out at the last delivery, reused for the next one.
    private var handedOut: [Float]?
    /// The source index that filled each slot of each buffer.
    private var owners: [Int]

    init(depth: Int, batchSize: Int, sampleSize: Int) {
        self.depth = depth
        self.batchSize = batchSize
        self.sampleSize = sampleSize
        var buffers = (0..<depth).map { _ in [Float](repeating: 0, count: batchSize * sampleSize) }
        bases = .allocate(capacity: depth)
        for i in buffers.indices { bases[i] = Self.pin(&buffers[i]) }
        self.buffers = buffers
        owners = Array(repeating: -1, count: depth * batchSize)
    }

    deinit { bases.deallocate() }

    /// The element storage of a uniquely referenced `array` (copied first if it is shared).
    private static func pin(_ array: inout [Float]) -> UnsafeMutablePointer<Float> {
        array.withUnsafeMutableBufferPointer { $0.baseAddress! }
    }

    /// The slot of `position` within `batch`'s buffer.
    func slot(batch: Int, index: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: bases[batch % depth] + index * sampleSize, count: sampleSize)
    }

    /// The first `count` samples of `batch`'s buffer, for mixing in place once they are all
    /// rendered and before the batch is taken.
    func samples(batch: Int, count: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: bases[batch % depth], count: count * sampleSize)
    }

    /// The first `count` samples of `batch`'s buffer as an array: the buffer itself when it is
    /// full (the buffer is then replaced, see the type's notes), else a copy of the prefix.
    func takeInputs(batch: Int, count: Int) -> [Float] {
        let index = batch % depth
        guard count == batchSize else {
            return Array(UnsafeBufferPointer(start: bases[index], count: count * sampleSize))
        }
        let full = buffers[index]
        var next = handedOut ?? [Float](repeating: 0, count: batchSize * sampleSize)
        handedOut = nil
        bases[index] = Self.pin(&next)
        buffers[index] = next
        handedOut = full
        return full
    }

    /// Records which sample filled a slot.
    func setOwner(batch: Int, index: Int, sample: Int) {
        owners[(batch % depth) * batchSize + index] = sample
    }

    /// The samples that filled `batch`'s first `count` slots.
    func owners(batch: Int, count: Int) -> ArraySlice<Int> {
        let start = (batch % depth) * batchSize
        return owners[start ..< start + count]
    }
}
