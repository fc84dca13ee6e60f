import Training

/// The callbacks a `training` section asks for, plus the run's own
/// checkpoint, CSV log and messages.
struct CallbackFactory {
    let training: TrainingSection
    let hasValidation: Bool

    /// Without `writesFiles` (processes or replicas other than rank 0) the
    /// checkpoint and the CSV log keep their state without writing, so that every
    /// rank's run checkpoint holds the same pieces and every rank restores it;
    /// every other callback decides as on rank 0.
    func make(checkpoint: String, history: String, monitor: String, output: ProgressOutput,
              writesFiles: Bool = true) throws -> [any Callback] {
        func adapt(_ metric: String) -> String {
            hasValidation ? metric : metric.replacingOccurrences(of: "val_", with: "")
        }
        var callbacks: [any Callback] = []
        if training.terminateOnNaN { callbacks.append(TerminateOnNaN()) }
        if let schedule = training.schedule {
            callbacks.append(schedule.makeCallback(initial: training.optimizer.effectiveLearningRate, epochs: training.epochs))
        }
        var plateau: ReduceLROnPlateau?
        if var spec = training.reduceLROnPlateau {
            spec.monitor = adapt(spec.monitor)
            plateau = try spec.makeCallback()
            callbacks.append(plateau!)
        }
        let best = try ModelCheckpoint(path: checkpoint, monitor: monitor)
        best.writesFiles = writesFiles
        callbacks.append(best)
        var stopping: EarlyStopping?
        if var spec = training.earlyStopping {
            spec.monitor = adapt(spec.monitor)
            stopping = try spec.makeCallback()
            callbacks.append(stopping!)
        }
        let log = CSVLogger(path: history, append: true)
        log.writesFiles = writesFiles
        callbacks.append(log)
        if training.verbose > 0 {
            callbacks.append(TrainingMessages(earlyStopping: stopping, plateau: plateau, output: output))
        }
        return callbacks
    }
}
