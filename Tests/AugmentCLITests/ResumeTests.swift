import Foundation
import Testing
import TestSupport

/// `augment train --resume` and stop signals, on a tiny run (24 digits, 18 trained in batches
/// of 4: 5 steps an epoch) in a child process.
@Suite(.serialized) struct ResumeTests {
    static func pipeline(epochs: Int, backup: String = "{save_freq: 2, delete_checkpoint: false}",
                         rotation: Int = 10) -> String {
        """
        data:
          directory: train
          target_size: [28, 28]
          color_mode: grayscale
          batch_size: 4
          validation_split: 0.25
          seed: 3
        augmentation:
          rotation_range: \(rotation)
          rescale: 0.00392156862745098
        model:
          layers:
            - conv2d: {filters: 4, kernel_size: 3, activation: relu}
            - max_pooling2d: {pool_size: 4}
            - flatten
            - dropout: {rate: 0.3}
            - dense: {units: 3, activation: softmax}
        training:
          epochs: \(epochs)
          optimizer: {name: adam, learning_rate: 0.01}
          early_stopping: {patience: 5}
          reduce_lr_on_plateau: {monitor: val_accuracy, patience: 1, factor: 0.5}
          backup: \(backup)
          verbose: 2
        """
    }

    /// A folder with the digits and `p.yaml`.
    static func folder(_ yaml: String) throws -> TemporaryDirectory {
        let temporary = try TemporaryDirectory()
        try CommandRunner.digits("train", classes: ["0", "1", "7"], count: 8, into: temporary.url.appendingPathComponent("train"))
        try yaml.write(to: temporary.url.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        return temporary
    }

    static let train = ["train", "p.yaml", "--out", "run"]
    static let killInWrite = "AUGMENT_FAULT_KILL_IN_CHECKPOINT_WRITE"
    static let compared = ["history.csv", "best.safetensors", "backup/checkpoint.safetensors"]

    static func files(_ names: [String], in folder: URL) throws -> [Data] {
        try names.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }

    /// The uninterrupted run's files, then the same run killed (inside a checkpoint write, twice,
    /// and at an arbitrary instant of an epoch) and resumed each time: the same bytes.
    /// The compute thread count a run's `Threads:` line reports.
    static func computeThreads(in output: String) throws -> Int {
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("Threads:") })
        let match = try #require(line.firstMatch(of: /compute threads (\d+)/))
        return try #require(Int(match.1))
    }

    /// The uninterrupted run, on the compute thread count the interrupted one resolved (`auto`
    /// counts other processes, and another count trains other last bits: measured before the
    /// interrupted run, under another load, it could differ); the run folder is moved aside.
    static func referenceFiles(_ names: [String], threads: Int, in folder: URL) throws -> [Data] {
        let run = folder.appendingPathComponent("run")
        try FileManager.default.moveItem(at: run, to: folder.appendingPathComponent("resumed"))
        let reference = try CommandRunner.run(train + ["--threads", "\(threads)"], in: folder)
        #expect(reference.status == 0, "\(reference.error)")
        return try files(names, in: run)
    }

    @Test func aKilledRunResumesToTheUninterruptedRunsFiles() throws {
        let temporary = try Self.folder(Self.pipeline(epochs: 4))
        let folder = temporary.url, run = folder.appendingPathComponent("run")

        // Killed between the third checkpoint's flush and its rename (step 6, in epoch 2):
        // the second checkpoint (step 4) is whole, the temporary file is left over.
        let first = try RunningCommand(Self.train, in: folder, environment: [Self.killInWrite: "3"]).wait()
        #expect(first.status == 128 + SIGKILL)
        let threads = try Self.computeThreads(in: first.output)
        let backup = try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("backup").path)
        #expect(backup.contains("checkpoint.safetensors"))
        #expect(backup.contains { $0.hasPrefix(".checkpoint.safetensors.tmp-") })
        // Resumed after batch 4 of epoch 1, killed again in its second write (step 8).
        let second = try RunningCommand(Self.train + ["--resume"], in: folder, environment: [Self.killInWrite: "2"]).wait()
        #expect(second.status == 128 + SIGKILL)
        #expect(second.output.contains("Resuming from run/backup/checkpoint.safetensors: epoch 1, after batch 4"))
        // Resumed after batch 1 of epoch 2 (step 6), killed at some instant of epoch 3.
        let third = try RunningCommand(Self.train + ["--resume"], in: folder)
        try third.waitForOutput(containing: "Epoch 3/4")
        third.signal(SIGKILL)
        #expect(try third.wait().output.contains("epoch 2, after batch 1"))
        let last = try CommandRunner.run(Self.train + ["--resume"], in: folder)
        #expect(last.status == 0, "\(last.error)")
        // `auto` is not resolved again: the count the run started with, whatever the load now.
        #expect(last.output.contains("(compute threads and replicas: the counts the run started with)"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("backup").path)
        #expect(leftovers == ["checkpoint.safetensors"])
        let resumed = try Self.files(Self.compared, in: run)
        #expect(try Self.referenceFiles(Self.compared, threads: threads, in: folder) == resumed)
    }

    /// A run with a fine-tuning phase killed inside that phase: the resume restores the finished
    /// first phase from its checkpoint, then the second from its own, to the same bytes.
    @Test func aRunKilledWhileFineTuningResumes() throws {
        let base = Self.pipeline(epochs: 1, backup: "{save_freq: epoch}")
        let transfer = """
            base: {pipeline: base.yaml, layers: 3}
            data: {directory: train, target_size: [28, 28], color_mode: grayscale, batch_size: 4, validation_split: 0.25, seed: 3}
            augmentation: {rotation_range: 10, rescale: 0.00392156862745098}
            model:
              layers:
                - dropout: {rate: 0.3}
                - dense: {units: 3, activation: softmax}
            training:
              epochs: 2
              optimizer: {name: adam, learning_rate: 0.01}
              backup: {save_freq: 2}
              verbose: 2
            fine_tune: {unfreeze_top: 1, learning_rate: 0.001, epochs: 3}
            """
        let temporary = try Self.folder(transfer)
        let folder = temporary.url, run = folder.appendingPathComponent("run")
        try base.write(to: folder.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        let killed = try RunningCommand(Self.train, in: folder)
        try killed.waitForOutput(containing: "Epoch 4/5")
        killed.signal(SIGKILL)
        let stopped = try killed.wait()
        #expect(stopped.status == 128 + SIGKILL)
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("backup/checkpoint.safetensors").path))
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("backup/fine_tune/checkpoint.safetensors").path))
        let resumed = try CommandRunner.run(Self.train + ["--resume"], in: folder)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("backup").path))
        let names = ["history.csv", "best.safetensors"]
        let files = try Self.files(names, in: run)
        #expect(try Self.referenceFiles(names, threads: Self.computeThreads(in: stopped.output), in: folder) == files)
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("backup").path))
    }

    @Test func resumeNeedsACheckpointAndTheSamePipelineFile() throws {
        let temporary = try Self.folder(Self.pipeline(epochs: 2, backup: "{delete_checkpoint: true}"))
        let folder = temporary.url
        let none = try CommandRunner.run(Self.train + ["--resume"], in: folder)
        #expect(none.status != 0)
        #expect(none.error.contains("run has no checkpoint to resume (no run/backup/checkpoint.safetensors)"), "\(none.error)")
        // A finished run deleted its checkpoint (delete_checkpoint: true).
        #expect(try CommandRunner.run(Self.train, in: folder).status == 0)
        #expect(try CommandRunner.run(Self.train + ["--resume"], in: folder).error.contains("has no checkpoint to resume"))

        let killed = try RunningCommand(Self.train, in: folder, environment: [Self.killInWrite: "2"]).wait()
        #expect(killed.status == 128 + SIGKILL)
        try Self.pipeline(epochs: 3, backup: "{delete_checkpoint: true}", rotation: 15)
            .write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let differs = try CommandRunner.run(Self.train + ["--resume"], in: folder)
        #expect(differs.status != 0)
        #expect(differs.error.contains("the pipeline file differs from the one the run in run started with, at 2 key(s):"), "\(differs.error)")
        #expect(differs.error.contains("training.epochs: 2 → 3"))
        #expect(differs.error.contains("augmentation.rotation_range: 10"))
        let fresh = try CommandRunner.run(Self.train, in: folder)
        #expect(fresh.status != 0)
        #expect(fresh.error.contains("holds a run's checkpoint (run/backup): pass --resume"), "\(fresh.error)")
    }

    /// SIGINT stops at the end of the batch: a checkpoint, the artefacts of the epochs done,
    /// how to resume, exit status 130; the resumed run ends as the uninterrupted one.
    @Test func sigintStopsCleanlyAndTheRunResumes() throws {
        let temporary = try Self.folder(Self.pipeline(epochs: 6, backup: "{save_freq: epoch}"))
        let folder = temporary.url, run = folder.appendingPathComponent("run")
        #expect(try CommandRunner.run(Self.train, in: folder).status == 0)
        let expected = try Self.files(["history.csv", "best.safetensors"], in: run)
        try FileManager.default.removeItem(at: run)

        let running = try RunningCommand(Self.train, in: folder)
        try running.waitForOutput(containing: "Epoch 3/6")
        running.signal(SIGINT)
        let stopped = try running.wait()
        #expect(stopped.status == 130, "\(stopped.error)")
        #expect(stopped.output.contains("Stopped by SIGINT in epoch "), "\(stopped.output)")
        #expect(stopped.output.contains("Resume with: augment train p.yaml --out run --resume"))
        for artefact in ["history.csv", "best.safetensors", "training_curves.png", "pipeline.resolved.yaml",
                         "augmented_samples.png", "backup/checkpoint.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(artefact).path), "\(artefact)")
        }
        let resumed = try CommandRunner.run(Self.train + ["--resume"], in: folder)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("backup").path))
        let names = ["history.csv", "best.safetensors"]
        let files = try Self.files(names, in: run)
        #expect(try Self.referenceFiles(names, threads: Self.computeThreads(in: stopped.output), in: folder) == files)
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("backup").path))
    }

    @Test func sigtermExits143AndASecondSigintExitsAtOnce() throws {
        let temporary = try Self.folder(Self.pipeline(epochs: 50, backup: "{save_freq: epoch}"))
        let folder = temporary.url
        let terminated = try RunningCommand(Self.train, in: folder)
        try terminated.waitForOutput(containing: "Epoch 2/50")
        terminated.signal(SIGTERM)
        let first = try terminated.wait()
        #expect(first.status == 143)
        #expect(first.output.contains("Stopped by SIGTERM"))

        try FileManager.default.removeItem(at: folder.appendingPathComponent("run"))
        let interrupted = try RunningCommand(Self.train, in: folder)
        try interrupted.waitForOutput(containing: "Epoch 2/50")
        interrupted.signal(SIGINT)
        try interrupted.waitUntilDelivered(SIGINT)
        interrupted.signal(SIGINT)
        let second = try interrupted.wait()
        #expect(second.status == 130)
        // It ended inside the first stop's work (the batch, the checkpoint, the artefacts).
        #expect(!second.output.contains("Resume with"))
    }
}
