import Training

/// Prints Keras's messages when early stopping ends training or the learning
/// rate is reduced on a plateau (`verbose=1` in Keras).
final class TrainingMessages: Callback {
    private let earlyStopping: EarlyStopping?
    private let plateau: ReduceLROnPlateau?
    private let output: ProgressOutput
    private var reported = 0

    init(earlyStopping: EarlyStopping?, plateau: ReduceLROnPlateau?, output: ProgressOutput) {
        self.earlyStopping = earlyStopping
        self.plateau = plateau
        self.output = output
    }

    func trainBegan(model: Sequential) throws { reported = 0 }

    func epochEnded(_ epoch: Int, logs: Logs, model: Sequential) throws {
        if let plateau, plateau.reductions.count > reported {
            for reduction in plateau.reductions[reported...] {
                output.write("Epoch \(reduction.epoch + 1): ReduceLROnPlateau reducing learning rate to \(reduction.learningRate).\n")
            }
            reported = plateau.reductions.count
        }
    }

    func trainEnded(model: Sequential) throws {
        guard let earlyStopping, let stopped = earlyStopping.stoppedEpoch else { return }
        output.write("Epoch \(stopped + 1): early stopping\n")
        if earlyStopping.restoreBestWeights {
            output.write("Restoring model weights from the end of the best epoch: \(earlyStopping.bestEpoch + 1).\n")
        }
    }
}
