import CPUBudget
import Foundation

extension PipelineFile {
    /// The thread counts of a run of this file: `training.threads`,
    /// `training.replicas` and `data.workers` over `OMP_NUM_THREADS`, under the
    /// command line's flags (see `ThreadPlan` for the order and for what `auto`
    /// chooses). Replicas split `data.batch_size`, each process's share of it under MPI.
    /// - Parameters:
    ///   - threads: the compute threads asked for on the command line (over `training.threads`).
    ///   - workers: the loader workers asked for on the command line (over `data.workers`).
    ///   - replicas: the model replicas asked for on the command line (over `training.replicas`).
    ///   - processes: the processes of an MPI run, which replicas do not combine with:
    ///     `auto` is then 1 replica, and more are refused.
    ///   - trains: false for a run that only evaluates or predicts: one replica, whatever the file says.
    ///   - environment: where `OMP_NUM_THREADS` is read.
    ///   - othersRunning: other processes' runnable threads; nil measures them when the compute
    ///     count is `auto` (what `augment` does), 0 leaves every budgeted core to the run (what the
    ///     library's defaults do, as `ThreadPlan.automatic`).
    /// - Throws: `ThreadCountError` for an `OMP_NUM_THREADS` that is not a positive integer, or
    ///   replicas that do not split the batch or come with several MPI processes.
    public func threadPlan(threads: ThreadCount? = nil, workers: ThreadCount? = nil, replicas: ThreadCount? = nil,
                           processes: Int = 1, trains: Bool = true,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           othersRunning: Int? = nil)
        throws(ThreadCountError) -> ThreadPlan {
        try ThreadPlan(environment: environment,
                       threads: ThreadPlan.Request(file: training?.threads, flag: threads),
                       workers: ThreadPlan.Request(file: data.workers, flag: workers),
                       replicas: trains ? ThreadPlan.Request(file: training?.replicas, flag: replicas) : ThreadPlan.Request(),
                       batchSize: trains && training != nil ? data.batchSize : nil, processes: processes,
                       othersRunning: othersRunning)
    }

    /// This file with the counts `plan` resolved written in, as `pipeline.resolved.yaml` keeps
    /// them: rerun, it trains with the same compute threads, which decide the last bits of the
    /// weights (the workers never change a batch).
    func resolving(_ plan: ThreadPlan) -> PipelineFile {
        var file = self
        file.training?.threads = .fixed(plan.computeThreads)
        file.training?.replicas = .fixed(plan.replicas)
        file.data.workers = .fixed(plan.loaderWorkers)
        return file
    }
}
