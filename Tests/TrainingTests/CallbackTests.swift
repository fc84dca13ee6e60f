import Testing
@testable import Training

/// Callbacks driven by scripted metric sequences: each test states the exact
/// epoch at which the callback must act.
@Suite struct CallbackTests {
    /// A tiny compiled model whose bias[0] is tagged with the epoch number.
    func taggedModel(learningRate: Float = 1) throws -> Sequential {
        let model = try Sequential(inputShape: [2], layers: [Dense(units: 1)])
        model.compile(optimizer: try SGD(learningRate: learningRate), loss: MeanSquaredError())
        return model
    }

    func tag(_ model: Sequential) -> Float { model.layers[0].parameters[1].value.pointer[0] }

    /// Runs `callback` over `values` of `metric`, returning the epochs run.
    @discardableResult
    func drive(_ callback: any Callback, _ model: Sequential, metric: String = "val_loss", values: [Double]) throws -> [Int] {
        var ran: [Int] = []
        let context = TrainingContext(model: model, optimizer: model.optimizer!)
        try callback.trainBegan(context: context)
        for (epoch, value) in values.enumerated() {
            try callback.epochBegan(epoch, context: context)
            model.layers[0].parameters[1].value.pointer[0] = Float(epoch)
            try callback.epochEnded(epoch, logs: [metric: value], context: context)
            ran.append(epoch)
            if context.stopTraining { break }
        }
        try callback.trainEnded(context: context)
        return ran
    }

    @Test func earlyStoppingStopsAfterPatienceAndRestoresBest() throws {
        let model = try taggedModel()
        let stop = try EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
        let ran = try drive(stop, model, values: [1.0, 0.9, 0.95, 0.92, 0.91, 0.5])
        #expect(ran == [0, 1, 2, 3])
        #expect(stop.stoppedEpoch == 3)
        #expect(stop.bestEpoch == 1)
        #expect(tag(model) == 1)
    }

    @Test func earlyStoppingWithoutRestoreKeepsLastWeights() throws {
        let model = try taggedModel()
        try drive(EarlyStopping(patience: 1), model, values: [1.0, 1.1, 0.2])
        #expect(tag(model) == 1)
    }

    @Test func earlyStoppingRestoresBestAtTheEndEvenWithoutStopping() throws {
        let model = try taggedModel()
        let ran = try drive(EarlyStopping(patience: 5, restoreBestWeights: true), model, values: [1.0, 0.4, 0.6])
        #expect(ran == [0, 1, 2])
        #expect(tag(model) == 1)
    }

    @Test func earlyStoppingMinDelta() throws {
        let model = try taggedModel()
        let stop = try EarlyStopping(minDelta: 0.05, patience: 1)
        #expect(try drive(stop, model, values: [1.0, 0.97, 0.5]) == [0, 1])
    }

    @Test func earlyStoppingMaxModeForAccuracy() throws {
        let model = try taggedModel()
        let stop = try EarlyStopping(monitor: "val_accuracy", patience: 2)
        #expect(stop.monitor.mode == .max)
        #expect(try drive(stop, model, metric: "val_accuracy", values: [0.5, 0.6, 0.6, 0.55, 0.9]) == [0, 1, 2, 3])
        let forcedMin = try EarlyStopping(monitor: "val_accuracy", patience: 1, mode: .min)
        #expect(try drive(forcedMin, model, metric: "val_accuracy", values: [0.5, 0.6, 0.7]) == [0, 1])
    }

    @Test func earlyStoppingBaselineKeepsCountingUntilBeaten() throws {
        let model = try taggedModel()
        let withBaseline = try EarlyStopping(patience: 2, baseline: 0.5)
        #expect(try drive(withBaseline, model, values: [0.9, 0.8, 0.85, 0.84, 0.83]) == [0, 1, 2])
        let without = try EarlyStopping(patience: 2)
        #expect(try drive(without, model, values: [0.9, 0.8, 0.85, 0.84, 0.83]) == [0, 1, 2, 3])
    }

    @Test func missingMetricIsATypedError() throws {
        let model = try taggedModel()
        #expect(throws: TrainingError.missingMetric(name: "val_loss", available: ["loss"])) {
            try drive(EarlyStopping(), model, metric: "loss", values: [1])
        }
    }

    @Test func reduceLROnPlateauHonoursPatienceCooldownAndFloor() throws {
        let model = try taggedModel(learningRate: 1)
        let plateau = try ReduceLROnPlateau(factor: 0.5, patience: 2, minDelta: 0, cooldown: 2, minLR: 0.2)
        try drive(plateau, model, values: Array(repeating: 1.0, count: 12))
        #expect(plateau.reductions.map(\.epoch) == [2, 5, 8])
        #expect(plateau.reductions.map(\.learningRate) == [0.5, 0.25, 0.2])
        #expect(model.optimizer!.learningRate == 0.2)
    }

    @Test func reduceLROnPlateauResetsOnImprovement() throws {
        let model = try taggedModel(learningRate: 1)
        let plateau = try ReduceLROnPlateau(factor: 0.1, patience: 2, minDelta: 0)
        try drive(plateau, model, values: [1, 1, 0.5, 0.5, 0.5])
        #expect(plateau.reductions.map(\.epoch) == [4])
        #expect(abs(model.optimizer!.learningRate - 0.1) < 1e-7)
    }

    @Test func schedulesFollowTheirFormulas() {
        let step = LearningRateSchedules.step(initial: 1, factor: 0.5, every: 2)
        #expect((0..<5).map { step($0, 0) } == [1, 1, 0.5, 0.5, 0.25])
        let exponential = LearningRateSchedules.exponential(initial: 1, decayRate: 0.5, decayEpochs: 2)
        #expect(abs(exponential(1, 0) - 0.70710677) < 1e-6)
        let cosine = LearningRateSchedules.cosine(initial: 1, warmupEpochs: 2, totalEpochs: 7, minimum: 0.1)
        #expect(abs(cosine(0, 0) - 1.0 / 3) < 1e-6)
        #expect(abs(cosine(1, 0) - 2.0 / 3) < 1e-6)
        #expect(cosine(2, 0) == 1)
        #expect(abs(cosine(4, 0) - 0.55) < 1e-6)
        #expect(abs(cosine(6, 0) - 0.1) < 1e-6)
    }

    @Test func schedulerSetsTheRateAtEpochStartDuringFit() throws {
        let model = try taggedModel(learningRate: 0.1)
        let data = [Batch(inputs: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]), targets: Tensor(shape: [2, 1], scalars: [1, 0]))]
        let history = try model.fit(data, epochs: 5, callbacks: [
            LearningRateScheduler(LearningRateSchedules.step(initial: 0.1, factor: 0.5, every: 2)),
        ], verbose: .silent)
        #expect(history["learning_rate"].map { Float($0) } == [0.1, 0.1, 0.05, 0.05, 0.025])
    }

    @Test func terminateOnNaNStopsMidEpoch() throws {
        let model = try Sequential(inputShape: [1], layers: [Dense(units: 1)])
        model.compile(optimizer: try SGD(learningRate: 1e6), loss: MeanSquaredError())
        let batch = Batch(inputs: Tensor(shape: [1, 1], scalars: [1e3]), targets: Tensor(shape: [1, 1], scalars: [0]))
        let terminate = TerminateOnNaN()
        let history = try model.fit(Array(repeating: batch, count: 50), epochs: 3, callbacks: [terminate], verbose: .silent)
        #expect(history.epochs == [0])
        #expect(terminate.terminatedAtBatch != nil && terminate.terminatedAtBatch! < 49)
    }
}
