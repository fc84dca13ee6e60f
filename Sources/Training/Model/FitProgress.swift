/// Where `fit` stands: the epoch and batch it runs next, the epoch's running
/// totals, the history so far and whether a callback asked it to stop. A
/// checkpoint saves it, so a resumed run starts at the batch after the
/// checkpoint with the same totals and history.
public final class FitProgress: Checkpointable {
    /// The epoch in progress, or next to run (0-based).
    public internal(set) var epoch = 0
    /// Batches of ``epoch`` trained so far: the index of the next batch.
    public internal(set) var batch = 0
    /// Samples of ``epoch`` this process trained so far (keys the dropout masks of the next batch).
    public internal(set) var samplesSeen = 0
    /// The epochs completed so far.
    public internal(set) var history = History()
    var totals: MetricTotals

    init(metricNames: [String]) {
        totals = MetricTotals(metricNames: metricNames)
    }

    /// Starts `epoch` at its first batch.
    func begin(epoch: Int) {
        self.epoch = epoch
        batch = 0
        samplesSeen = 0
        totals = MetricTotals(metricNames: totals.metricNames)
    }

    /// Every process's totals while a checkpoint is captured (``withGatheredTotals(over:_:)``).
    private var gathered: [MetricTotals]?

    private struct Values: Codable {
        var epoch: Int, batch: Int, samplesSeen: Int, stopTraining: Bool
        /// The epoch's totals so far, summed over the processes.
        var totals: MetricTotals
        /// Each process's own, in rank order (absent for one process).
        var rankTotals: [MetricTotals]?
        var history: History
    }

    /// The epoch and batch a saved state continues from.
    static func position(in state: CheckpointState) throws -> (epoch: Int, batch: Int) {
        let values = try state.values(Values.self)
        return (values.epoch, values.batch)
    }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: Values(epoch: epoch, batch: batch, samplesSeen: samplesSeen,
                                           stopTraining: context.stopTraining, totals: gathered.map(MetricTotals.sum) ?? totals,
                                           rankTotals: gathered, history: history))
    }

    /// Runs `body` (a checkpoint's capture) with every process's totals at hand, so
    /// that a data-parallel run's checkpoint holds each rank's running totals and a
    /// resumed run sums them at the epoch's end exactly as an uninterrupted one.
    /// Collective: every process calls it at the same batch.
    func withGatheredTotals<Value>(over reducer: any GradientReducer, _ body: () throws -> Value) throws -> Value {
        guard reducer.processCount > 1 else { return try body() }
        gathered = try totals.gathered(over: reducer)
        defer { gathered = nil }
        return try body()
    }

    /// Restores the position and history, and this rank's running totals. A checkpoint of
    /// another process count gives rank 0 the sum and the others zero.
    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        let values = try state.values(Values.self)
        guard values.totals.metricNames == totals.metricNames else {
            throw TrainingError.checkpoint(reason: "it was taken with metrics \(values.totals.metricNames), this run has \(totals.metricNames)")
        }
        epoch = values.epoch; batch = values.batch; samplesSeen = values.samplesSeen
        let reducer = context.model.trainer?.reducer
        let rank = reducer?.rank ?? 0
        if let ranks = values.rankTotals, ranks.count == reducer?.processCount ?? 1 {
            totals = ranks[rank]
        } else {
            totals = rank == 0 ? values.totals : MetricTotals(metricNames: totals.metricNames)
        }
        history = values.history
        context.stopTraining = values.stopTraining
    }
}
