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

    private struct Values: Codable {
        var epoch: Int, batch: Int, samplesSeen: Int, stopTraining: Bool
        var totals: MetricTotals
        var history: History
    }

    /// The epoch and batch a saved state continues from.
    static func position(in state: CheckpointState) throws -> (epoch: Int, batch: Int) {
        let values = try state.values(Values.self)
        return (values.epoch, values.batch)
    }

    public func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: Values(epoch: epoch, batch: batch, samplesSeen: samplesSeen,
                                           stopTraining: context.stopTraining, totals: totals, history: history))
    }

    /// Runs `body` (a checkpoint's capture) with ``totals`` summed over the processes
    /// of `reducer` in place of this process's own, so that a data-parallel run's
    /// checkpoint holds the whole epoch's totals. Collective: every process calls it
    /// at the same batch.
    func withGlobalTotals<Value>(over reducer: any GradientReducer, _ body: () throws -> Value) throws -> Value {
        let own = totals
        totals = try own.reduced(over: reducer)
        defer { totals = own }
        return try body()
    }

    /// Restores the position and history; the epoch's totals (summed over every process,
    /// see ``withGlobalTotals(over:_:)``) go to rank 0, and the other ranks start from zero,
    /// so that the epoch's end sums them once.
    public func restore(from state: CheckpointState, context: TrainingContext) throws {
        let values = try state.values(Values.self)
        guard values.totals.metricNames == totals.metricNames else {
            throw TrainingError.checkpoint(reason: "it was taken with metrics \(values.totals.metricNames), this run has \(totals.metricNames)")
        }
        epoch = values.epoch; batch = values.batch; samplesSeen = values.samplesSeen
        totals = (context.model.trainer?.reducer.rank ?? 0) == 0 ? values.totals : MetricTotals(metricNames: totals.metricNames)
        history = values.history
        context.stopTraining = values.stopTraining
    }
}
