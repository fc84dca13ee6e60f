import Augmentation
import Tensors

/// `depth` input buffers of `batchSize × sampleSize` Floats that workers render
/// into and the consumer receives without a copy, with what filled each slot.
/// Batch `b` uses buffer `b % depth`; the production's window guarantees that
/// no two live batches share one, so a buffer is written by workers only while
/// its batch is in the window and taken by the consumer only after.
///
/// Each buffer is a `TensorStorage` that becomes the batch's input tensor as
/// is. Workers write a slot inside ``withSlot(batch:index:_:)`` (the pointer
/// lives only for that closure; the storage object has one address for its
/// whole life). On delivery the buffer is replaced by the storage handed out at
/// the previous delivery when the consumer has let go of it, else by a new one,
/// so an epoch normally allocates `depth + 1` buffers and a batch the consumer
/// still holds is never written again.
///
/// The buffer references sit in raw memory rather than a Swift array: the
/// consumer replaces one entry while workers read others, which an array's
/// copy-on-write check would turn into a data race.
final class BatchPool: @unchecked Sendable {
    let depth: Int
    let batchSize: Int
    let sampleSize: Int
    private let buffers: UnsafeMutablePointer<TensorStorage>
    /// The storage handed out at the last delivery, reused for the next one if nobody else holds it.
    private var handedOut: TensorStorage?
    /// The source index that filled each slot of each buffer (under the production's lock).
    private var owners: [Int]
    /// The moved targets of each slot of each buffer (under the production's lock; annotating renderers only).
    private var targets: [SampleTargets?]

    init(depth: Int, batchSize: Int, sampleSize: Int, keepsTargets: Bool) {
        self.depth = depth
        self.batchSize = batchSize
        self.sampleSize = sampleSize
        buffers = .allocate(capacity: depth)
        buffers.initialize(from: (0..<depth).map { _ in TensorStorage(count: batchSize * sampleSize) }, count: depth)
        owners = Array(repeating: -1, count: depth * batchSize)
        targets = Array(repeating: nil, count: keepsTargets ? depth * batchSize : 0)
    }

    deinit {
        buffers.deinitialize(count: depth)
        buffers.deallocate()
    }

    /// Calls `body` with the slot `index` of `batch`'s buffer (called by the worker that claimed it).
    func withSlot<R>(batch: Int, index: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        let storage = buffers[batch % depth]
        return storage.withUnsafeMutableBufferPointer { all in
            body(UnsafeMutableBufferPointer(rebasing: all[(index * sampleSize) ..< ((index + 1) * sampleSize)]))
        }
    }

    /// Calls `body` with the first `count` samples of `batch`'s buffer, for mixing in place once
    /// they are all rendered and before the batch is taken.
    func withSamples<R>(batch: Int, count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        buffers[batch % depth].withUnsafeMutableBufferPointer { all in
            body(UnsafeMutableBufferPointer(rebasing: all[0 ..< (count * sampleSize)]))
        }
    }

    /// The first `count` samples of `batch`'s buffer: the buffer itself when it is full (the
    /// buffer is then replaced, see the type's notes), else a copy of the prefix.
    func takeInputs(batch: Int, count: Int) -> TensorStorage {
        let index = batch % depth
        guard count == batchSize else {
            return buffers[index].withUnsafeBufferPointer { TensorStorage(copying: UnsafeBufferPointer(rebasing: $0[0 ..< (count * sampleSize)])) }
        }
        let full = buffers[index]
        var next = handedOut
        handedOut = nil
        if !isKnownUniquelyReferenced(&next) { next = TensorStorage(count: batchSize * sampleSize) }
        buffers[index] = next!
        handedOut = full
        return full
    }

    /// Records which sample filled a slot, and its moved targets.
    func fill(batch: Int, index: Int, sample: Int, targets slotTargets: SampleTargets?) {
        let slot = (batch % depth) * batchSize + index
        owners[slot] = sample
        if !targets.isEmpty { targets[slot] = slotTargets }
    }

    /// The samples that filled `batch`'s first `count` slots.
    func owners(batch: Int, count: Int) -> [Int] {
        let start = (batch % depth) * batchSize
        return Array(owners[start ..< start + count])
    }

    /// The moved targets of `batch`'s first `count` slots (empty when the pool keeps none).
    func targets(batch: Int, count: Int) -> [SampleTargets?] {
        guard !targets.isEmpty else { return [] }
        let start = (batch % depth) * batchSize
        return Array(targets[start ..< start + count])
    }
}
