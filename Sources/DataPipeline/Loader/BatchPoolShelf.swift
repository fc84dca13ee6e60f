import Foundation

/// Where a loader keeps the batch buffers of a finished epoch for the next one, so an epoch
/// does not allocate and page in `depth` fresh buffers (64 × 224 × 224 × 3 Floats are 38.5 MB
/// each). An epoch's production puts its pool here when it is released, which happens only
/// after its last worker has returned; a pool the consumer still holds a batch of keeps that
/// batch's storage (``RecycledBuffers`` never writes a handed-out buffer again).
final class BatchPoolShelf: @unchecked Sendable {
    // @unchecked: `pool` is guarded by `lock`.
    private let lock = NSLock()
    private var pool: BatchPool?

    /// The kept pool when it has this layout (taking it off the shelf), else a new one.
    func take(depth: Int, batchSize: Int, sampleSize: Int, maskPlane: Int, keepsTargets: Bool) -> BatchPool {
        lock.lock()
        defer { lock.unlock() }
        if let kept = pool, kept.depth == depth, kept.batchSize == batchSize, kept.sampleSize == sampleSize,
           kept.maskPlane == maskPlane, kept.keepsTargets == keepsTargets {
            pool = nil
            return kept
        }
        return BatchPool(depth: depth, batchSize: batchSize, sampleSize: sampleSize, maskPlane: maskPlane, keepsTargets: keepsTargets)
    }

    /// Keeps `released` (an epoch's pool whose workers have all returned) for the next epoch.
    func put(_ released: BatchPool) {
        released.forgetTargets()
        lock.lock()
        pool = released
        lock.unlock()
    }
}
