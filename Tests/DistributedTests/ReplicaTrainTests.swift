import Foundation
import Testing
import TestSupport
import Training

/// `augment train --replicas N`: model replicas on threads of their own, each on
/// its share of every batch. They train as one model does (to the order of
/// float sums), give the same bits run after run, idle or under load, and a
/// killed replicated run resumes to the uninterrupted run's files.
@Suite(.serialized) struct ReplicaTrainTests {
    /// `MPITrainTests`'s pipeline on its 13 digits of 0, 1 and 7 (33 trained, in batches of 4:
    /// the last has 1 sample, so replica 1's last batch is empty), checkpointing every 2 steps.
    static func folder() throws -> TemporaryDirectory {
        let temporary = try TemporaryDirectory()
        try MPITrainTests.digits(count: 13, into: temporary)
        try MPITrainTests.pipeline(batch: 4, epochs: 3, backup: "{save_freq: 2, delete_checkpoint: false}")
            .write(to: temporary.url.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        return temporary
    }

    static func train(_ out: String, replicas: Int, in folder: URL, environment: [String: String] = [:],
                      resume: Bool = false) throws -> CommandRunner.Result {
        try RunningCommand(["train", "p.yaml", "--out", out, "--threads", "1", "--workers", "1", "--replicas", "\(replicas)"]
                           + (resume ? ["--resume"] : []), in: folder, environment: environment).wait()
    }

    static func files(_ names: [String] = ["history.csv", "best.safetensors"], in folder: URL) throws -> [Data] {
        try names.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }

    @Test func twoReplicasTrainAsOneModelAndRepeatTheirBits() throws {
        let temporary = try Self.folder()
        let folder = temporary.url
        let one = try Self.train("one", replicas: 1, in: folder)
        #expect(one.status == 0, "\(one.error)")
        let two = try Self.train("two", replicas: 2, in: folder)
        #expect(two.status == 0, "\(two.error)")
        #expect(two.output.contains("compute threads 1 (flag) × 2 replicas (flag)"), "\(two.output)")
        #expect(two.output.components(separatedBy: "Epoch 3/3").count == 2, "only replica 0 prints: \(two.output)")
        let resolved = try String(contentsOf: folder.appendingPathComponent("two/pipeline.resolved.yaml"), encoding: .utf8)
        #expect(resolved.contains("replicas: 2"), "\(resolved)")

        let history1 = try History.csv(temporary.path("one/history.csv")), history2 = try History.csv(temporary.path("two/history.csv"))
        #expect(history1.keys == history2.keys)
        for (key, values) in history1 {
            for (a, b) in zip(values, history2[key]!) { #expect(abs(a - b) <= 1e-4 * max(1, abs(a)), "\(key): \(a) vs \(b)") }
        }
        let difference = try MPITrainTests.weightDifference(temporary.path("one/best.safetensors"), temporary.path("two/best.safetensors"))
        #expect(difference.worst <= 1e-4, "\(difference.tensor): \(difference.worst) relative")

        let again = try withSpinningProcesses { try Self.train("again", replicas: 2, in: folder) }
        #expect(again.status == 0, "\(again.error)")
        #expect(try Self.files(in: folder.appendingPathComponent("again")) == Self.files(in: folder.appendingPathComponent("two")),
                "2 replicas under load trained other bits than idle")
    }

    /// Killed inside its second checkpoint write (step 4 of 27), resumed: the uninterrupted
    /// run's bytes (the checkpoint names the run folder's files, so the reference trains into
    /// the same folder once the resumed run is moved aside).
    @Test func aKilledReplicatedRunResumesToTheSameFiles() throws {
        let temporary = try Self.folder()
        let folder = temporary.url
        let killed = try Self.train("run", replicas: 2, in: folder, environment: ["AUGMENT_FAULT_KILL_IN_CHECKPOINT_WRITE": "2"])
        #expect(killed.status != 0)
        let resumed = try Self.train("run", replicas: 2, in: folder, resume: true)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.output.contains("Resuming from"), "\(resumed.output)")
        let names = ["history.csv", "best.safetensors", "backup/checkpoint.safetensors"]
        let resumedFiles = try Self.files(names, in: folder.appendingPathComponent("run"))
        try FileManager.default.moveItem(at: folder.appendingPathComponent("run"), to: folder.appendingPathComponent("resumed"))
        let reference = try Self.train("run", replicas: 2, in: folder)
        #expect(reference.status == 0, "\(reference.error)")
        #expect(try Self.files(names, in: folder.appendingPathComponent("run")) == resumedFiles)
    }

    @Test func replicasThatDoNotSplitTheBatchAreRefused() throws {
        let temporary = try Self.folder()
        let result = try Self.train("run", replicas: 3, in: temporary.url)
        #expect(result.status != 0)
        #expect(result.error.contains("--replicas 3 does not split the batch of 4 evenly"), "\(result.error)")
    }
}
