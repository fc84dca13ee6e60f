/// `depth` reusable input buffers of `batchSize × sampleSize` Floats,
/// allocated once per epoch run and freed with it. Batch `b` uses buffer
/// `b % depth`; the production's window guarantees that no two live
/// batches share one.
final class BatchPool: @unchecked Sendable {
    let depth: Int
    let batchSize: Int
    let sampleSize: Int
    private let storage: UnsafeMutableBufferPointer<Float>
    /// The source index that filled each slot of each buffer.
    private var owners: [Int]

    init(depth: Int, batchSize: Int, sampleSize: Int) {
        self.depth = depth
        self.batchSize = batchSize
        self.sampleSize = sampleSize
        storage = .allocate(capacity: depth * batchSize * sampleSize)
        storage.initialize(repeating: 0)
        owners = Array(repeating: -1, count: depth * batchSize)
    }

    deinit { storage.deallocate() }

    /// The slot of `position` within `batch`'s buffer.
    func slot(batch: Int, index: Int) -> UnsafeMutableBufferPointer<Float> {
        let start = ((batch % depth) * batchSize + index) * sampleSize
        return UnsafeMutableBufferPointer(rebasing: storage[start ..< start + sampleSize])
    }

    /// The first `count` slots of `batch`'s buffer, contiguous.
    func inputs(batch: Int, count: Int) -> UnsafeBufferPointer<Float> {
        let start = (batch % depth) * batchSize * sampleSize
        return UnsafeBufferPointer(rebasing: storage[start ..< start + count * sampleSize])
    }

    /// Records (under the production's lock) which sample filled a slot.
    func setOwner(batch: Int, index: Int, sample: Int) {
        owners[(batch % depth) * batchSize + index] = sample
    }

    /// The samples that filled `batch`'s first `count` slots (under the lock).
    func owners(batch: Int, count: Int) -> ArraySlice<Int> {
        let start = (batch % depth) * batchSize
        return owners[start ..< start + count]
    }
}
