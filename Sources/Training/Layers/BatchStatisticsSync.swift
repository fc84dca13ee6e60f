/// The collective of one training pass whose synchronised
/// ``BatchNormalization`` layers compute their batch statistics over the
/// global batch: each such layer sums its per-channel statistics over the
/// processes (``GradientReducer/sum(_:)``) once in the forward pass (sum, sum
/// of squares and count) and once in the backward pass (the sums of dy and
/// dy·x̂), as `torch.nn.SyncBatchNorm` does.
///
/// The trainer makes one per step when its reducer spans several processes
/// and the model has synchronised layers, and hands it to the layers through
/// ``ForwardContext``. Every process must then run the same layers in the
/// same order: a process whose share of the global batch is empty runs the
/// pass on a placeholder sample with ``contributes`` false, so it adds zeros.
///
/// Layers cannot throw from their passes: the first error of a sum is kept
/// (later sums are skipped) and the trainer throws it after the pass (``check()``).
final class BatchStatisticsSync: @unchecked Sendable {
    let reducer: any GradientReducer
    /// False when this process's batch is a placeholder: its statistics count as zeros.
    let contributes: Bool
    /// Sums made so far (forward and backward).
    private(set) var sums = 0
    private var failure: (any Error)?

    init(reducer: any GradientReducer, contributes: Bool) {
        self.reducer = reducer
        self.contributes = contributes
    }

    /// Replaces `values` by their sums over processes (this process's own
    /// values count as zeros when it does not contribute). After a failed sum
    /// it leaves them alone.
    func sum(_ values: inout [Double]) {
        if !contributes { values = .init(repeating: 0, count: values.count) }
        guard failure == nil else { return }
        do {
            try reducer.sum(&values)
            sums += 1
        } catch {
            failure = error
        }
    }

    /// Throws the first error of a sum, if one failed.
    func check() throws {
        if let failure { throw failure }
    }
}
