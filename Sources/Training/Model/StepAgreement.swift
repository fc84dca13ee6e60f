/// What the processes of a data-parallel run tell each other before a step's
/// forward pass (one small sum over processes), so that all of them take the
/// same decision: train, end the epoch, stop, or fail together.
///
/// Without it, a process whose loader failed (a bad file under the `fail`
/// policy) would leave the others waiting forever in the gradient reduction
/// (or in a synchronised batch normalisation's sums, during the forward pass).
struct StepAgreement {
    /// One process's state before the backward pass.
    enum Status: Int {
        /// It has a batch that the model and loss accept.
        case ready = 0
        /// Its epoch has no more batches (or its loader stopped on an error).
        case exhausted = 1
        /// Its batch does not fit the model or the loss.
        case failed = 2
    }

    /// Ranks whose epoch ended.
    var exhausted: [Int]
    /// Ranks that failed.
    var failed: [Int]
    /// Samples in the global batch (the sum of the local batches).
    var samples: Int
    /// Whether some process asked to stop training.
    var stop: Bool

    /// Sums every process's status over `reducer` (collective).
    static func reach(_ status: Status, samples: Int, stop: Bool, over reducer: any GradientReducer) throws -> StepAgreement {
        // [stop requests, samples, status of rank 0, status of rank 1, ...]: each rank writes its own slot.
        var values = [Double](repeating: 0, count: 2 + reducer.processCount)
        values[0] = stop ? 1 : 0
        values[1] = Double(samples)
        values[2 + reducer.rank] = Double(status.rawValue)
        try reducer.sum(&values)
        let statuses = values[2...].map { Status(rawValue: Int($0)) ?? .failed }
        return StepAgreement(exhausted: statuses.indices.filter { statuses[$0] == .exhausted },
                             failed: statuses.indices.filter { statuses[$0] == .failed },
                             samples: Int(values[1]), stop: values[0] > 0)
    }
}
