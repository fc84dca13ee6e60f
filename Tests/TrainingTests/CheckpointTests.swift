import Foundation
import Tensors
import Testing
import TestSupport
@testable import Training

/// Stops `fit` at a global step: `interrupt` (as a signal does), or by throwing (as a kill
/// does: nothing is written after the last checkpoint).
final class StopAt: Callback {
    struct Killed: Error {}
    let step: Int
    let kill: Bool
    init(step: Int, kill: Bool) { self.step = step; self.kill = kill }

    func batchEnded(_ batch: Int, logs: Logs, context: TrainingContext) throws {
        guard context.model.trainer?.step == step else { return }
        if kill { throw Killed() }
        context.interrupt()
    }
}

@Suite(.serialized) struct CheckpointTests {
    /// One run of the test's training (24 samples, 18 trained in batches of 5: 4 steps an epoch,
    /// 5 epochs), with Adam, dropout, a plateau schedule, early stopping that keeps the best
    /// weights, a CSV log and a backup; `stop` ends it early.
    struct Run {
        let model: Sequential
        let callbacks: [any Callback]
        let backup: BackupAndRestore

        init(folder: URL, frequency: BackupAndRestore.SaveFrequency, stop: StopAt? = nil) throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            model = try Synthetic.model(seed: 3)
            model.compile(optimizer: try Adam(learningRate: 2e-2), loss: CategoricalCrossentropy(), metrics: [.automatic])
            backup = try BackupAndRestore(backupDirectory: folder.appendingPathComponent("backup").path,
                                          saveFrequency: frequency, deleteCheckpoint: false)
            callbacks = [try ReduceLROnPlateau(monitor: "val_accuracy", factor: 0.5, patience: 1),
                         try EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true),
                         try ModelCheckpoint(path: folder.appendingPathComponent("best.safetensors").path),
                         CSVLogger(path: folder.appendingPathComponent("history.csv").path), TerminateOnNaN(),
                         backup] + (stop.map { [$0] } ?? [])
        }

        func fit() throws -> History {
            let data = Synthetic.halves(count: 24, seed: 1)
            return try model.fit(x: data.x, y: data.y, batchSize: 5, epochs: 5, validationSplit: 0.25,
                                 callbacks: callbacks, verbose: .silent)
        }
    }

    static func bits(_ model: Model) -> [[UInt32]] { model.weightValues().map { $0.map(\.bitPattern) } }

    /// The uninterrupted run's weights, history and files, in `folder`.
    static func reference(in folder: URL, frequency: BackupAndRestore.SaveFrequency) throws -> (weights: [[UInt32]], history: History, files: [Data]) {
        let run = try Run(folder: folder, frequency: frequency)
        let history = try run.fit()
        return (bits(run.model), history, try files(in: folder))
    }

    static func files(in folder: URL) throws -> [Data] {
        try ["history.csv", "best.safetensors", "backup/checkpoint.safetensors"].map {
            try Data(contentsOf: folder.appendingPathComponent($0))
        }
    }

    /// Stops at each of `stops` in turn (a fresh process each time: new model, new callbacks),
    /// resuming from the backup, and runs to the end.
    static func resumed(in folder: URL, frequency: BackupAndRestore.SaveFrequency, stops: [Int], kill: Bool) throws -> (weights: [[UInt32]], history: History, files: [Data]) {
        for step in stops {
            let run = try Run(folder: folder, frequency: frequency, stop: StopAt(step: step, kill: kill))
            do {
                _ = try run.fit()
                Issue.record("the run did not stop at step \(step)")
            } catch is StopAt.Killed {
                #expect(kill)
            } catch let TrainingError.interrupted(_, epoch, batch) {
                #expect(!kill)
                #expect(epoch * 4 + batch == step)
            }
        }
        let run = try Run(folder: folder, frequency: frequency)
        let history = try run.fit()
        return (bits(run.model), history, try files(in: folder))
    }

    @Test(arguments: [false, true])
    func aRunStoppedAnywhereAndResumedEndsBitIdentical(kill: Bool) throws {
        // Mid-epoch (3, 6, 13), at an epoch's last batch (8), twice in one epoch (13, 14).
        for frequency in [BackupAndRestore.SaveFrequency.batches(1), .batches(3), .epoch] where !(kill && frequency == .epoch) {
            let reference = try TemporaryDirectory(), stopped = try TemporaryDirectory()
            // Both runs write into the same path (the checkpoint records the CSV and best paths).
            let folder = stopped.url.appendingPathComponent("run")
            let expected = try Self.reference(in: folder, frequency: frequency)
            try FileManager.default.moveItem(at: folder, to: reference.url.appendingPathComponent("run"))
            let actual = try Self.resumed(in: folder, frequency: frequency, stops: [3, 6, 8, 13, 14], kill: kill)
            let sameWeights = actual.weights == expected.weights
            #expect(sameWeights, "\(frequency): the weights differ")
            #expect(actual.history == expected.history, "\(frequency)")
            #expect(actual.history.epochs == Array(0..<5))
            #expect(Set(actual.history["learning_rate"]).count > 1, "the plateau schedule reduced the rate")
            #expect(actual.files == expected.files, "\(frequency): history.csv, best.safetensors, the last checkpoint")
        }
    }

    @Test func aCheckpointRefusesAnotherModelOrOptimiser() throws {
        let folder = try TemporaryDirectory()
        let first = try Run(folder: folder.url, frequency: .epoch, stop: StopAt(step: 5, kill: false))
        #expect(throws: TrainingError.self) { try first.fit() }
        let data = Synthetic.halves(count: 24, seed: 1)
        let other = try Synthetic.model(seed: 4)
        other.compile(optimizer: try Adam(), loss: CategoricalCrossentropy(), metrics: [.automatic])
        #expect(throws: TrainingError.checkpoint(reason: "model: it was taken with model seed 3, this model has seed 4")) {
            try other.fit(x: data.x, y: data.y, batchSize: 5, epochs: 5, validationSplit: 0.25,
                          callbacks: Array(first.callbacks.dropLast()), verbose: .silent)
        }
        let sgd = try Synthetic.model(seed: 3)
        sgd.compile(optimizer: try SGD(), loss: CategoricalCrossentropy(), metrics: [.automatic])
        let fresh = try Run(folder: folder.url, frequency: .epoch)
        #expect(throws: TrainingError.checkpoint(reason: "optimizer: it was taken with optimiser Adam, this run uses SGD")) {
            try sgd.fit(x: data.x, y: data.y, batchSize: 5, epochs: 5, validationSplit: 0.25,
                        callbacks: fresh.callbacks, verbose: .silent)
        }
        let fewer = try Run(folder: folder.url, frequency: .epoch)
        let error = #expect(throws: TrainingError.self) {
            try fewer.model.fit(x: data.x, y: data.y, batchSize: 5, epochs: 5, callbacks: [fewer.backup], verbose: .silent)
        }
        #expect("\(error!)".contains("that this run does not"))
        #expect("\(error!)".contains("callback1.EarlyStopping"))
    }

    /// A kill between the temporary file's flush and its rename leaves the previous
    /// checkpoint whole; the leftover temporary file is removed by the next run.
    @Test func aCheckpointIsReplacedAtomically() throws {
        let folder = try TemporaryDirectory()
        let run = try Run(folder: folder.url, frequency: .batches(2))
        let path = run.backup.checkpointPath
        var writes = 0
        run.backup.beforeRename = {
            writes += 1
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: run.backup.backupDirectory)) ?? []
            #expect(leftovers.contains { $0.hasPrefix(".checkpoint.safetensors.tmp-") })
            if writes > 1 {
                let stored = try? BackupAndRestore.storedCheckpoint(in: run.backup.backupDirectory)
                #expect(stored.map { $0.epoch * 4 + $0.batch } == 2 * (writes - 1))
            }
        }
        _ = try run.fit()
        #expect(writes == 10)
        let leftover = run.backup.backupDirectory + "/.checkpoint.safetensors.tmp-999"
        try Data("partial".utf8).write(to: URL(fileURLWithPath: leftover))
        _ = try Run(folder: folder.url, frequency: .epoch).fit()
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func deleteCheckpointRemovesItWhenTrainingEnds() throws {
        let folder = try TemporaryDirectory()
        let data = Synthetic.halves(count: 8, seed: 1)
        let model = try Synthetic.model(seed: 3)
        model.compile(optimizer: try SGD(momentum: 0.9), loss: CategoricalCrossentropy())
        let backup = try BackupAndRestore(backupDirectory: folder.url.appendingPathComponent("b").path)
        var seen = false
        backup.beforeRename = { seen = true }
        try model.fit(x: data.x, y: data.y, batchSize: 4, epochs: 2, callbacks: [backup], verbose: .silent)
        #expect(seen)
        #expect(!FileManager.default.fileExists(atPath: backup.backupDirectory))
        #expect(throws: TrainingError.self) { try BackupAndRestore(backupDirectory: "b", saveFrequency: .batches(0)) }
    }
}
