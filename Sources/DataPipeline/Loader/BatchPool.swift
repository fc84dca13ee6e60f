import Augmentation
import Tensors

/// `depth` input buffers of `batchSize × sampleSize` Floats that workers render
/// into and the consumer receives without a copy, with what filled each slot, and, for
/// segmentation, `depth` buffers of `batchSize` Int32 class-index planes beside them.
/// Batch `b` uses buffer `b % depth`; the production's window guarantees that
/// no two live batches share one, so a buffer is written by workers only while
/// its batch is in the window and taken by the consumer only after.
///
/// Each buffer is a storage object that becomes the batch's tensor as is
/// (``RecycledBuffers``). Workers write a slot inside ``withSlot(batch:index:_:)`` (the
/// pointer lives only for that closure; the storage object has one address for its
/// whole life), and a class map into ``maskBuffer(batch:)``.
final class BatchPool: @unchecked Sendable {
    let depth: Int
    let batchSize: Int
    let sampleSize: Int
    /// Pixels of one class-index plane (an output image's height × width).
    let maskPlane: Int
    private let inputs: RecycledBuffers<TensorStorage>
    /// Made on the first staged mask of a slot: sources without class maps never allocate them.
    private let masks: RecycledBuffers<ClassIndexStorage>
    /// The source index that filled each slot of each buffer (under the production's lock).
    private var owners: [Int]
    /// The moved targets of each slot of each buffer (under the production's lock; annotating renderers only).
    private var targets: [SampleTargets?]
    /// Whether each slot's class map sits in its mask buffer (under the production's lock).
    private var staged: [Bool]
    /// Whether the pool keeps each slot's moved targets.
    var keepsTargets: Bool { !targets.isEmpty }

    init(depth: Int, batchSize: Int, sampleSize: Int, maskPlane: Int, keepsTargets: Bool) {
        self.depth = depth
        self.batchSize = batchSize
        self.sampleSize = sampleSize
        self.maskPlane = maskPlane
        inputs = RecycledBuffers(depth: depth, eager: true) { TensorStorage(count: batchSize * sampleSize) }
        masks = RecycledBuffers(depth: depth, eager: false) { ClassIndexStorage(count: batchSize * maskPlane) }
        owners = Array(repeating: -1, count: depth * batchSize)
        targets = Array(repeating: nil, count: keepsTargets ? depth * batchSize : 0)
        staged = Array(repeating: false, count: keepsTargets ? depth * batchSize : 0)
    }

    /// Calls `body` with the slot `index` of `batch`'s buffer (called by the worker that claimed it).
    func withSlot<R>(batch: Int, index: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        inputs.buffer(batch: batch).withUnsafeMutableBufferPointer { all in
            body(UnsafeMutableBufferPointer(rebasing: all[(index * sampleSize) ..< ((index + 1) * sampleSize)]))
        }
    }

    /// `batch`'s mask buffer, made if this is its first staged mask (under the production's lock).
    func maskBuffer(batch: Int) -> ClassIndexStorage { masks.buffer(batch: batch) }

    /// Calls `body` with the first `count` samples of `batch`'s buffer, for mixing in place once
    /// they are all rendered and before the batch is taken.
    func withSamples<R>(batch: Int, count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        inputs.buffer(batch: batch).withUnsafeMutableBufferPointer { all in
            body(UnsafeMutableBufferPointer(rebasing: all[0 ..< (count * sampleSize)]))
        }
    }

    /// The first `count` samples of `batch`'s buffer: the buffer itself when it is full (the
    /// buffer is then replaced, see ``RecycledBuffers``), else a copy of the prefix.
    func takeInputs(batch: Int, count: Int) -> TensorStorage {
        guard count == batchSize else {
            return inputs.buffer(batch: batch).withUnsafeBufferPointer {
                TensorStorage(copying: UnsafeBufferPointer(rebasing: $0[0 ..< (count * sampleSize)]))
            }
        }
        return inputs.take(batch: batch)
    }

    /// The class maps staged for `batch`'s first `count` slots, as `[count, height, width]`
    /// (the buffer itself when the batch is full, else a copy of the prefix), with how many
    /// slots staged one; `nil` when none did.
    func takeMasks(batch: Int, count: Int, height: Int, width: Int) -> StagedMasks? {
        guard !staged.isEmpty else { return nil }
        let start = (batch % depth) * batchSize
        let stagedCount = staged[start ..< start + count].count { $0 }
        guard stagedCount > 0 else { return nil }
        let storage = count == batchSize ? masks.take(batch: batch) : masks.buffer(batch: batch).withUnsafeBufferPointer {
            ClassIndexStorage(copying: UnsafeBufferPointer(rebasing: $0[0 ..< (count * maskPlane)]))
        }
        return StagedMasks(indices: ClassIndices(shape: [count, height, width], storage: storage), count: stagedCount)
    }

    /// Records which sample filled a slot, its moved targets, and whether its class map was staged.
    func fill(batch: Int, index: Int, sample: Int, targets slotTargets: SampleTargets?, stagedMask: Bool) {
        let slot = (batch % depth) * batchSize + index
        owners[slot] = sample
        if !targets.isEmpty {
            targets[slot] = slotTargets
            staged[slot] = stagedMask
        }
    }

    /// Drops the moved targets of the last epoch (between epochs: no worker runs).
    func forgetTargets() {
        for slot in targets.indices { targets[slot] = nil }
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
