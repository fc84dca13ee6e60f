/// The fixed facts of one epoch run: which samples, in which order, cut into
/// which batches.
struct EpochPlan: Sendable {
    let epoch: Int
    /// Source indices in delivery order (this shard's block of the epoch order).
    let order: [Int]
    let batchSize: Int
    let batchCount: Int
    /// The first batch delivered (0 unless a resumed run starts mid-epoch).
    let firstBatch: Int

    /// Positions of `order` that end up in a batch.
    var positionCount: Int { min(order.count, batchCount * batchSize) }

    /// The positions of batch `batch`.
    func positions(ofBatch batch: Int) -> Range<Int> {
        batch * batchSize ..< min((batch + 1) * batchSize, positionCount)
    }
}
