extension Model {
    /// Trains for `epochs − initialEpoch` epochs on `source` (asked for
    /// `batches(epoch:from:)` once per epoch), as Keras's `fit`.
    ///
    /// After each epoch the model is evaluated on `validationData` (keys
    /// prefixed `val_`), `learning_rate` is logged, then the callbacks run in
    /// order, then the progress bar. Training ends early when a callback sets
    /// ``TrainingContext/stopTraining`` (TerminateOnNaN does so mid-epoch).
    /// Each batch's samples are numbered by their position in the epoch
    /// (`Batch.epochPosition` when the source gives it), which keys the
    /// dropout masks.
    ///
    /// With a trainer whose reducer spans several processes, every process
    /// calls `fit` with its share of each global batch: rank 0's parameters
    /// are broadcast first, every step is agreed on (a process that fails or
    /// runs out of batches stops all of them with an error), the epoch's
    /// metrics and the validation metrics are summed over processes, and
    /// rank 0's callback decisions (stop, learning rate) are adopted by all.
    ///
    /// A ``BackupAndRestore`` callback that finds a checkpoint makes `fit`
    /// continue from it, once every callback's `trainBegan` has run: the
    /// weights, optimiser, callbacks' state and history are put back and
    /// training resumes at the checkpoint's epoch and batch (callbacks get no
    /// second `epochBegan` for an epoch resumed mid-way). After each batch
    /// and each epoch, once all their hooks have run, callbacks get
    /// ``Callback/stateSettled(context:)``, where checkpoints are written.
    ///
    /// ```swift
    /// let history = try model.fit(loader, epochs: 40, validationData: validation,
    ///                             callbacks: [try EarlyStopping(patience: 6, restoreBestWeights: true)])
    /// ```
    /// Threading: see ``ThreadingPolicy``.
    /// - Throws: ``TrainingError/interrupted(history:epoch:batch:)`` when a callback
    ///   called ``TrainingContext/interrupt()`` (no `trainEnded` then).
    @discardableResult
    public func fit<Source: BatchSource>(
        _ source: Source, epochs: Int, validationData: (any BatchSource)? = nil,
        callbacks: [any Callback] = [], initialEpoch: Int = 0,
        verbose: Verbosity = .progressBar, output: ProgressOutput = .standardOutput
    ) throws -> History {
        guard let trainer else { throw TrainingError.notCompiled }
        try require(epochs >= 0, "epochs", epochs, "must be ≥ 0")
        try require(initialEpoch >= 0 && initialEpoch <= epochs, "initialEpoch", initialEpoch, "must lie in 0...epochs")
        threading?.apply()
        let progressBar = ProgressBar(verbosity: verbose, output: output)
        progressBar.configure(epochs: epochs, batchesPerEpoch: source.batchesPerEpoch, metricNames: metricNames)
        let all = callbacks + [progressBar]
        let context = TrainingContext(model: self, optimizer: trainer.optimizer, callbacks: callbacks)
        let progress = context.progress
        progress.begin(epoch: initialEpoch)
        let reducer = trainer.reducer
        try reducer.broadcast(parameters)
        for callback in all { try callback.trainBegan(context: context) }
        if let checkpoint = context.pendingRestore {
            context.pendingRestore = nil
            try checkpoint.restore(into: context)
        }
        while progress.epoch < epochs, !context.stopTraining {
            let epoch = progress.epoch
            if progress.batch == 0 {
                for callback in all { try callback.epochBegan(epoch, context: context) }
            } else {
                try progressBar.epochBegan(epoch, context: context)
            }
            let batches = source.batches(epoch: epoch, from: progress.batch)
            var iterator = batches.makeIterator()
            steps: while true {
                let batch = context.stopTraining ? nil : iterator.next()
                let offset = batch?.epochPosition
                    ?? progress.samplesSeen * reducer.processCount + reducer.rank * (batch?.count ?? 0)
                switch try trainer.collectiveStep(batch, epoch: epoch, sampleOffset: offset,
                                                  stopRequested: context.stopTraining) {
                case let .trained(result):
                    progress.totals.add(result)
                    progress.samplesSeen += result.samples
                    let running = progress.totals.logs()
                    for callback in all { try callback.batchEnded(progress.batch, logs: running, context: context) }
                    progress.batch += 1
                    try Self.agreeOnInterruption(of: context, over: reducer)
                    for callback in all { try callback.stateSettled(context: context) }
                    if context.interrupted {
                        throw TrainingError.interrupted(history: progress.history, epoch: epoch, batch: progress.batch)
                    }
                case .stopped:
                    context.stopTraining = true
                    break steps
                case let .ended(everywhere):
                    guard everywhere else {
                        try source.finish(batches)  // throws the loader's error, if one ended the epoch
                        throw TrainingError.processesStopped(ranks: [], processCount: reducer.processCount)
                    }
                    break steps
                }
            }
            try source.finish(batches)
            guard progress.batch > 0 else { throw TrainingError.badBatch(reason: "epoch \(epoch) produced no batches") }
            var logs = try progress.totals.reduced(over: reducer).logs()
            if let validationData {
                for (key, value) in try evaluate(validationData, epoch: epoch) { logs["val_" + key] = value }
            }
            logs["learning_rate"] = Double(trainer.optimizer.learningRate)
            for callback in all { try callback.epochEnded(epoch, logs: logs, context: context) }
            try Self.adoptDecisions(of: context, over: reducer)
            progress.history.record(epoch: epoch, logs: logs)
            progress.begin(epoch: epoch + 1)
            for callback in all { try callback.stateSettled(context: context) }
        }
        for callback in all { try callback.trainEnded(context: context) }
        return progress.history
    }

    /// Trains on whole in-memory tensors, cut into batches of `batchSize`
    /// shuffled per epoch from the model's seed. A `validationSplit` in [0, 1)
    /// holds out the *last* fraction of the samples before shuffling, as Keras
    /// does; `validationData` takes precedence over it.
    @discardableResult
    public func fit(
        x: Tensor, y: Tensor, batchSize: Int = 32, epochs: Int, validationSplit: Double = 0,
        validationData: (x: Tensor, y: Tensor)? = nil, shuffle: Bool = true,
        callbacks: [any Callback] = [], initialEpoch: Int = 0,
        verbose: Verbosity = .progressBar, output: ProgressOutput = .standardOutput
    ) throws -> History {
        try require(validationSplit >= 0 && validationSplit < 1, "validationSplit", validationSplit, "must lie in [0, 1)")
        try require(batchSize >= 1, "batchSize", batchSize, "must be at least 1")
        let count = x.shape.first ?? 0
        guard y.shape.first == count else {
            throw TrainingError.badBatch(reason: "x has \(count) samples, y has \(y.shape.first ?? 0)")
        }
        var trainX = x, trainY = y
        var validation: InMemoryBatches?
        if let validationData {
            validation = InMemoryBatches(inputs: validationData.x, targets: validationData.y, batchSize: batchSize)
        } else if validationSplit > 0 {
            let split = Int(Double(count) * (1 - validationSplit))
            guard split > 0, split < count else {
                throw TrainingError.invalidArgument(parameter: "validationSplit", value: "\(validationSplit)",
                                                    reason: "leaves an empty training or validation set of \(count) samples")
            }
            trainX = x.slicing(0..<split); trainY = y.slicing(0..<split)
            validation = InMemoryBatches(inputs: x.slicing(split..<count), targets: y.slicing(split..<count), batchSize: batchSize)
        }
        let source = InMemoryBatches(inputs: trainX, targets: trainY, batchSize: batchSize, shuffle: shuffle, seed: seed)
        return try fit(source, epochs: epochs, validationData: validation, callbacks: callbacks,
                       initialEpoch: initialEpoch, verbose: verbose, output: output)
    }

    /// Mean loss and metrics over the batches of `source` (inference mode).
    public func evaluate<Source: BatchSource>(_ source: Source, epoch: Int = 0) throws -> Logs {
        guard let trainer else { throw TrainingError.notCompiled }
        var totals = MetricTotals(metricNames: metricNames)
        var failure: (any Error)?
        do {
            let batches = source.batches(epoch: epoch)
            for batch in batches { totals.add(try trainer.evaluate(batch)) }
            try source.finish(batches)
        } catch {
            failure = error
        }
        totals = try totals.reduced(over: trainer.reducer, failure: failure)
        guard totals.samples > 0 else { throw TrainingError.badBatch(reason: "evaluation data produced no samples") }
        return totals.logs()
    }

    /// Makes every process take rank 0's callback decisions of the epoch: stop
    /// or go on, and the learning rate (a no-op for one process).
    static func adoptDecisions(of context: TrainingContext, over reducer: any GradientReducer) throws {
        guard reducer.processCount > 1 else { return }
        var decisions: [Double] = [context.stopTraining ? 1 : 0, Double(context.optimizer.learningRate)]
        try reducer.broadcast(&decisions)
        context.stopTraining = decisions[0] != 0
        context.optimizer.learningRate = Float(decisions[1])
    }

    /// Makes every process stop at the same batch when a signal reached any
    /// of them (``TrainingContext/interrupt()``), so that rank 0 checkpoints
    /// that batch and none waits for the others (a no-op for one process).
    static func agreeOnInterruption(of context: TrainingContext, over reducer: any GradientReducer) throws {
        guard reducer.processCount > 1 else { return }
        var flag: [Double] = [context.interrupted ? 1 : 0]
        try reducer.sum(&flag)
        if flag[0] > 0, !context.interrupted { context.interrupt() }
    }

    /// Mean loss and metrics over whole tensors.
    public func evaluate(x: Tensor, y: Tensor, batchSize: Int = 32) throws -> Logs {
        try evaluate(InMemoryBatches(inputs: x, targets: y, batchSize: batchSize))
    }
}

/// Sample-weighted running sums of loss and metrics over an epoch.
struct MetricTotals: Codable {
    let metricNames: [String]
    var loss = 0.0
    var correct: [Double]
    var samples = 0

    init(metricNames: [String]) {
        self.metricNames = metricNames
        correct = .init(repeating: 0, count: metricNames.count)
    }

    mutating func add(_ step: StepResult) {
        loss += step.loss * Double(step.samples)
        for i in correct.indices { correct[i] += step.correct[i] }
        samples += step.samples
    }

    /// The totals summed over the reducer's processes (collective). A
    /// process's `failure` is thrown there, and on the others as
    /// ``TrainingError/processesStopped(ranks:processCount:)``, so none waits.
    func reduced(over reducer: any GradientReducer, failure: (any Error)? = nil) throws -> MetricTotals {
        guard reducer.processCount > 1 else {
            if let failure { throw failure }
            return self
        }
        // [loss, correct..., samples, failed flag of rank 0, of rank 1, ...]
        var values = [loss] + correct + [Double(samples)] + .init(repeating: 0, count: reducer.processCount)
        values[correct.count + 2 + reducer.rank] = failure == nil ? 0 : 1
        try reducer.sum(&values)
        if let failure { throw failure }
        let flags = values[(correct.count + 2)...]
        let failed = flags.indices.filter { flags[$0] != 0 }.map { $0 - correct.count - 2 }
        if !failed.isEmpty { throw TrainingError.processesStopped(ranks: failed, processCount: reducer.processCount) }
        var sum = self
        sum.loss = values[0]
        sum.correct = Array(values[1..<(1 + correct.count)])
        sum.samples = Int(values[correct.count + 1])
        return sum
    }

    /// Every process's totals, in rank order (collective; exact: each process's
    /// values are summed with zeros only).
    func gathered(over reducer: any GradientReducer) throws -> [MetricTotals] {
        let width = correct.count + 2, count = reducer.processCount
        var values = [Double](repeating: 0, count: width * count)
        values.replaceSubrange((reducer.rank * width)..<((reducer.rank + 1) * width), with: [loss] + correct + [Double(samples)])
        try reducer.sum(&values)
        return (0..<count).map { rank in
            var totals = MetricTotals(metricNames: metricNames)
            totals.loss = values[rank * width]
            totals.correct = Array(values[(rank * width + 1)..<(rank * width + 1 + correct.count)])
            totals.samples = Int(values[rank * width + width - 1])
            return totals
        }
    }

    /// The sum of `all` in order (what ``reduced(over:failure:)`` gives for them).
    static func sum(_ all: [MetricTotals]) -> MetricTotals {
        var total = MetricTotals(metricNames: all[0].metricNames)
        for totals in all {
            total.loss += totals.loss
            for i in total.correct.indices { total.correct[i] += totals.correct[i] }
            total.samples += totals.samples
        }
        return total
    }

    func logs() -> Logs {
        var logs: Logs = ["loss": loss / Double(max(samples, 1))]
        for (name, value) in zip(metricNames, correct) { logs[name] = value / Double(max(samples, 1)) }
        return logs
    }
}
