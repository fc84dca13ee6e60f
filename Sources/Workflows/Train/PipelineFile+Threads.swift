import CPUBudget
import Foundation

extension PipelineFile {
    /// The thread counts of a run of this file: `training.threads` and
    /// `data.workers` over `OMP_NUM_THREADS`, under the command line's flags
    /// (see `ThreadPlan` for the order and for what `auto` chooses).
    /// - Parameters:
    ///   - threads: the compute threads asked for on the command line (over `training.threads`).
    ///   - workers: the loader workers asked for on the command line (over `data.workers`).
    ///   - environment: where `OMP_NUM_THREADS` is read.
    ///   - othersRunning: other processes' runnable threads; nil measures them when the compute
    ///     count is `auto` (what `augment` does), 0 leaves every budgeted core to the run (what the
    ///     library's defaults do, as `ThreadPlan.automatic`).
    /// - Throws: `ThreadCountError` for an `OMP_NUM_THREADS` that is not a positive integer.
    public func threadPlan(threads: ThreadCount? = nil, workers: ThreadCount? = nil,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           othersRunning: Int? = nil)
        throws(ThreadCountError) -> ThreadPlan {
        try ThreadPlan(environment: environment,
                       threads: ThreadPlan.Request(file: training?.threads, flag: threads),
                       workers: ThreadPlan.Request(file: data.workers, flag: workers), othersRunning: othersRunning)
    }

    /// This file with the counts `plan` resolved written in, as `pipeline.resolved.yaml` keeps
    /// them: rerun, it trains with the same compute threads, which decide the last bits of the
    /// weights (the workers never change a batch).
    func resolving(_ plan: ThreadPlan) -> PipelineFile {
        var file = self
        file.training?.threads = .fixed(plan.computeThreads)
        file.data.workers = .fixed(plan.loaderWorkers)
        return file
    }
}
