import Training

/// Prints Keras's messages when early stopping ends training or the learning
/// rate is reduced on a plateau (`verbose=1` in Keras).
///
/// An epoch's messages wait until the progress bar has finished that epoch's
/// line (they are written when the next epoch or the training ends).
final class TrainingMessages: Callback {
    private let earlyStopping: EarlyStopping?
    private let plateau: ReduceLROnPlateau?
    private let output: ProgressOutput
    private var reported = 0
    private var pending: [String] = []

    init(earlyStopping: EarlyStopping?, plateau: ReduceLROnPlateau?, output: ProgressOutput) {
        self.earlyStopping = earlyStopping
        self.plateau = plateau
        self.output = output
    }

    func trainBegan(context: TrainingContext) throws {
        reported = 0
        pending = []
    }

    func epochBegan(_ epoch: Int, context: TrainingContext) throws { flush() }

    func epochEnded(_ epoch: Int, logs: Logs, context: TrainingContext) throws {
        if let plateau, plateau.reductions.count > reported {
            for reduction in plateau.reductions[reported...] {
                pending.append("Epoch \(reduction.epoch + 1): ReduceLROnPlateau reducing learning rate to \(reduction.learningRate).")
            }
            reported = plateau.reductions.count
        }
    }

    func trainEnded(context: TrainingContext) throws {
        if let earlyStopping, let stopped = earlyStopping.stoppedEpoch {
            pending.append("Epoch \(stopped + 1): early stopping")
            if earlyStopping.restoreBestWeights {
                pending.append("Restoring model weights from the end of the best epoch: \(earlyStopping.bestEpoch + 1).")
            }
        }
        flush()
    }

    private func flush() {
        for line in pending { output.write(line + "\n") }
        pending = []
    }
}

/// The messages' piece of a checkpoint: the reductions reported and the lines not yet printed.
extension TrainingMessages: Checkpointable {
    private struct Values: Codable { var reported: Int, pending: [String] }

    func checkpointState(context: TrainingContext) throws -> CheckpointState {
        try CheckpointState(values: Values(reported: reported, pending: pending))
    }

    func restore(from state: CheckpointState, context: TrainingContext) throws {
        let values = try state.values(Values.self)
        reported = values.reported; pending = values.pending
    }
}
