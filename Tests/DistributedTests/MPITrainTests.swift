import Foundation
import Testing
import TestSupport
import Training

/// `augment train` under `mpirun -np 2 --oversubscribe` on loopback, against
/// one process: the same steps, the same weights (to the order of float sums),
/// no hang when data is uneven or a rank fails. Every launch is bounded in
/// time and its processes are stopped if it overruns.
@Suite(.enabled(if: MPIRun.program != nil, "mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)"))
struct MPITrainTests {
    /// A small CNN with dropout on `train/` (13 digits of 0, 1 and 7: 33
    /// training and 6 validation images), `batch` the global batch.
    static func pipeline(batch: Int = 8, epochs: Int = 1, badFiles: String = "fail",
                         layers: String = Self.dropoutLayers, distributed: String = "{}", backup: String = "{}") -> String {
        """
        data:
          directory: train
          target_size: [28, 28]
          color_mode: grayscale
          class_mode: categorical
          batch_size: \(batch)
          validation_split: 0.2
          seed: 3
          bad_files: \(badFiles)
        augmentation:
          rotation_range: 10
          zoom_range: 0.1
          rescale: 0.00392156862745098
        model:
          layers:
        \(layers)
        training:
          epochs: \(epochs)
          verbose: 2
          optimizer: {name: adam, learning_rate: 0.01}
          loss: categorical_crossentropy
          distributed: \(distributed)
          backup: \(backup)
        """
    }

    static let dropoutLayers = """
            - conv2d: {filters: 4, kernel_size: 3, activation: relu}
            - max_pooling2d: {pool_size: 2}
            - flatten
            - dense: {units: 16, activation: relu}
            - dropout: {rate: 0.5}
            - dense: {units: 3, activation: softmax}
        """

    /// Batch normalisation after a convolution without bias (a bias there
    /// has a true gradient of zero, which Adam would turn into steps of noise).
    static let normalizationLayers = """
            - conv2d: {filters: 4, kernel_size: 3, use_bias: false}
            - batch_normalization: {momentum: 0.5}
            - activation: {activation: relu}
            - max_pooling2d: {pool_size: 2}
            - flatten
            - dense: {units: 16, activation: relu}
            - dense: {units: 3, activation: softmax}
        """

    static func digits(count: Int, into folder: TemporaryDirectory) throws {
        try CommandRunner.digits("train", classes: ["0", "1", "7"], count: count, into: folder.url.appendingPathComponent("train"))
    }

    /// Global batch 8 over 33 images: the last global batch has one sample,
    /// so rank 1's last batch is empty.
    @Test func twoRanksTrainAsOneProcess() throws {
        let folder = try TemporaryDirectory()
        try Self.digits(count: 13, into: folder)
        try Self.pipeline(epochs: 2).write(to: folder.url.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let one = try CommandRunner.run(CommandRunner.executable, ["train", "p.yaml", "--out", "one", "--threads", "1", "--workers", "1"],
                                        in: folder.url, timeout: 120)
        #expect(one.status == 0, "\(one.error)")
        let two = try MPIRun.augment(ranks: 2, ["train", "p.yaml", "--out", "two", "--threads", "1", "--workers", "1"], in: folder.url)
        #expect(two.status == 0, "\(two.error)")
        // Only rank 0 prints the epochs.
        #expect(two.output.components(separatedBy: "Epoch 2/2").count == 2, "\(two.output)")
        #expect(two.output.contains("Processes: 2 (MPI), global batch 8"))

        let history1 = try History.csv(folder.path("one/history.csv")), history2 = try History.csv(folder.path("two/history.csv"))
        #expect(history1.keys == history2.keys)
        #expect(history1.keys.contains("val_loss"))
        for (key, values) in history1 {
            for (a, b) in zip(values, history2[key]!) { #expect(abs(a - b) <= 1e-4 * max(1, abs(a)), "\(key): \(a) vs \(b)") }
        }
        let difference = try Self.weightDifference(folder.path("one/best.safetensors"), folder.path("two/best.safetensors"))
        #expect(difference.worst <= 1e-4, "\(difference.tensor): \(difference.worst) relative")
    }

    /// Two replicas in one process (`--replicas 2`) and two MPI ranks are the same
    /// data-parallel run: the same history and weights, byte for byte.
    @Test func twoReplicasTrainTheBytesOfTwoRanks() throws {
        let folder = try TemporaryDirectory()
        try Self.digits(count: 13, into: folder)
        try Self.pipeline(epochs: 2).write(to: folder.url.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let options = ["--threads", "1", "--workers", "1"]
        let replicas = try CommandRunner.run(CommandRunner.executable, ["train", "p.yaml", "--out", "replicas", "--replicas", "2"] + options,
                                             in: folder.url, timeout: 120)
        #expect(replicas.status == 0, "\(replicas.error)")
        let ranks = try MPIRun.augment(ranks: 2, ["train", "p.yaml", "--out", "ranks"] + options, in: folder.url)
        #expect(ranks.status == 0, "\(ranks.error)")
        for file in ["history.csv", "best.safetensors"] {
            #expect(try Data(contentsOf: folder.url.appendingPathComponent("replicas/\(file)"))
                    == Data(contentsOf: folder.url.appendingPathComponent("ranks/\(file)")), "\(file)")
        }
    }

    /// Two ranks killed inside rank 0's second checkpoint write (step 4 of 27), resumed under
    /// mpirun: the uninterrupted two-rank run's bytes. Every rank restores the checkpoint (the
    /// same callback pieces on every rank) and its own running totals.
    @Test func aKilledTwoRankRunResumesToTheSameFiles() throws {
        let folder = try TemporaryDirectory()
        try Self.digits(count: 13, into: folder)
        try Self.pipeline(batch: 4, epochs: 3, backup: "{save_freq: 2, delete_checkpoint: false}")
            .write(to: folder.url.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let run = ["train", "p.yaml", "--out", "run", "--threads", "1", "--workers", "1"]
        let killed = try MPIRun.augment(ranks: 2, run, in: folder.url, environment: ["AUGMENT_FAULT_KILL_IN_CHECKPOINT_WRITE": "2"])
        #expect(killed.status != 0)
        let resumed = try MPIRun.augment(ranks: 2, run + ["--resume"], in: folder.url)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.output.contains("Resuming from"), "\(resumed.output)")
        let names = ["history.csv", "best.safetensors", "backup/checkpoint.safetensors"]
        let resumedFiles = try names.map { try Data(contentsOf: folder.url.appendingPathComponent("run/\($0)")) }
        try FileManager.default.moveItem(at: folder.url.appendingPathComponent("run"), to: folder.url.appendingPathComponent("resumed"))
        let reference = try MPIRun.augment(ranks: 2, run, in: folder.url)
        #expect(reference.status == 0, "\(reference.error)")
        #expect(try names.map { try Data(contentsOf: folder.url.appendingPathComponent("run/\($0)")) } == resumedFiles)
    }

    /// The largest difference between two weight files' tensors, each relative
    /// to the first file's largest value in that tensor (at least 1e-3).
    static func weightDifference(_ first: String, _ second: String) throws -> (worst: Float, tensor: String) {
        let weights1 = try SafeTensors.read(from: first), weights2 = try SafeTensors.read(from: second)
        guard weights1.keys.sorted() == weights2.keys.sorted() else { return (.infinity, "the tensor names") }
        var worst: (Float, String) = (0, "")
        for (name, tensor) in weights1 {
            let scale = max(tensor.scalars.map { abs($0) }.max() ?? 0, 1e-3)
            let difference = zip(tensor.scalars, weights2[name]!.scalars).map { abs($0 - $1) }.max() ?? 0
            if difference / scale > worst.0 { worst = (difference / scale, name) }
        }
        return worst
    }

    /// Batch normalisation with `sync_batch_norm`: two ranks (the last global
    /// batch of one sample leaves rank 1 a placeholder pass) train as one
    /// process, moving statistics included; without it they measurably do not.
    @Test func synchronizedBatchNormalizationTrainsAsOneProcess() throws {
        let folder = try TemporaryDirectory()
        try Self.digits(count: 13, into: folder)
        for (name, distributed) in [("sync", "{sync_batch_norm: true}"), ("local", "{}")] {
            try Self.pipeline(layers: Self.normalizationLayers, distributed: distributed)
                .write(to: folder.url.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        let one = try CommandRunner.run(CommandRunner.executable, ["train", "local.yaml", "--out", "one", "--threads", "1", "--workers", "1"],
                                        in: folder.url, timeout: 120)
        #expect(one.status == 0, "\(one.error)")
        for name in ["sync", "local"] {
            let two = try MPIRun.augment(ranks: 2, ["train", "\(name).yaml", "--out", name, "--threads", "1", "--workers", "1"], in: folder.url)
            #expect(two.status == 0, "\(two.error)")
            #expect(two.output.contains("global batch's statistics") == (name == "sync"), "\(two.output)")
        }
        let synchronized = try Self.weightDifference(folder.path("one/best.safetensors"), folder.path("sync/best.safetensors"))
        #expect(synchronized.worst <= 1e-4, "sync_batch_norm: \(synchronized.tensor) differs by \(synchronized.worst) relative")
        let local = try Self.weightDifference(folder.path("one/best.safetensors"), folder.path("local/best.safetensors"))
        #expect(local.worst > 1e-2, "per-rank statistics: \(local.tensor) differs by only \(local.worst) relative")
    }

    /// Buckets of 1 KiB started during the backward pass (between the
    /// synchronised normalisation's own sums) give the same weights, bit for
    /// bit, as one 4 MiB bucket started after it.
    @Test func overlappedBucketsGiveTheSameWeights() throws {
        let folder = try TemporaryDirectory()
        try Self.digits(count: 13, into: folder)
        for (name, distributed) in [("after", "{sync_batch_norm: true}"),
                                    ("during", "{sync_batch_norm: true, overlap: true, bucket_kib: 1}")] {
            try Self.pipeline(layers: Self.normalizationLayers, distributed: distributed)
                .write(to: folder.url.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
            let run = try MPIRun.augment(ranks: 2, ["train", "\(name).yaml", "--out", name, "--threads", "1", "--workers", "1"], in: folder.url)
            #expect(run.status == 0, "\(run.error)")
        }
        let after = try SafeTensors.read(from: folder.path("after/best.safetensors"))
        let during = try SafeTensors.read(from: folder.path("during/best.safetensors"))
        #expect(after.keys.sorted() == during.keys.sorted())
        for (name, tensor) in after { #expect(tensor.scalars == during[name]?.scalars, "\(name)") }
        #expect(try String(contentsOfFile: folder.path("after/history.csv"), encoding: .utf8)
                == String(contentsOfFile: folder.path("during/history.csv"), encoding: .utf8))
    }

    /// 32 training images: over 2 ranks in global batches of 12 the last has
    /// 8 (6 + 2); over 3 ranks in batches of 6 it has 2 (2 + 0 + 0).
    @Test(arguments: [(2, 12), (3, 6)])
    func unevenDataEndsEveryEpochOnEveryRank(ranks: Int, batch: Int) throws {
        let folder = try TemporaryDirectory()
        try Self.digits(count: 13, into: folder)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("train/7").appendingPathComponent(
            try FileManager.default.contentsOfDirectory(atPath: folder.path("train/7")).sorted().last!))
        try Self.pipeline(batch: batch, epochs: 2).write(to: folder.url.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let one = try CommandRunner.run(CommandRunner.executable, ["train", "p.yaml", "--out", "one", "--threads", "1", "--workers", "1"],
                                        in: folder.url, timeout: 120)
        #expect(one.status == 0, "\(one.error)")
        let many = try MPIRun.augment(ranks: ranks, ["train", "p.yaml", "--out", "many", "--threads", "1", "--workers", "1"], in: folder.url)
        #expect(many.status == 0, "\(many.error)")
        let history1 = try History.csv(folder.path("one/history.csv")), historyN = try History.csv(folder.path("many/history.csv"))
        #expect(historyN["loss"]?.count == 2)
        for (a, b) in zip(history1["loss"]!, historyN["loss"]!) { #expect(abs(a - b) <= 1e-4 * max(1, abs(a))) }
    }

    @Test func aFailingRankStopsEveryRank() throws {
        let folder = try TemporaryDirectory()
        try Self.digits(count: 13, into: folder)
        try Data("not an image".utf8).write(to: folder.url.appendingPathComponent("train/1/zz-broken.png"))
        try Self.pipeline().write(to: folder.url.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let result = try MPIRun.augment(ranks: 2, ["train", "p.yaml", "--out", "run", "--threads", "1", "--workers", "1"], in: folder.url)
        #expect(result.status != 0)
        #expect(result.error.contains("zz-broken.png"), "\(result.error)")
        #expect(result.error.contains("every process stops with it"), "\(result.error)")
    }

    @Test func aGlobalBatchThatDoesNotSplitIsRefused() throws {
        let folder = try TemporaryDirectory()
        try Self.digits(count: 4, into: folder)
        try Self.pipeline(batch: 7).write(to: folder.url.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let result = try MPIRun.augment(ranks: 2, ["train", "p.yaml"], in: folder.url)
        #expect(result.status != 0)
        #expect(result.error.contains("data.batch_size is 7, which does not split evenly over 2 processes"), "\(result.error)")
    }
}

/// Launching `augment` under Open MPI's `mpirun` on this machine.
enum MPIRun {
    /// `mpirun` on the `PATH`, if any.
    static let program: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
        .split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// `mpirun -np ranks --oversubscribe augment arguments…` in `directory`, at most two minutes;
    /// `environment` is exported to every rank (`-x`).
    static func augment(ranks: Int, _ arguments: [String], in directory: URL,
                        environment: [String: String] = [:]) throws -> CommandRunner.Result {
        let exported = environment.keys.sorted().flatMap { ["-x", $0] }
        return try CommandRunner.run(program!, ["-np", "\(ranks)", "--oversubscribe", "--bind-to", "none"] + exported
                                         + [CommandRunner.executable.path] + arguments,
                                     in: directory, environment: environment.merging([
                                         "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
                                         // Shared memory on loopback; containers often forbid the ptrace single copy.
                                         "OMPI_MCA_btl": "self,vader", "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
                                     ]) { $1 },
                                     timeout: 120)
    }
}

extension History {
    /// The columns of a `history.csv` written by `augment train`, by header key.
    static func csv(_ path: String) throws -> [String: [Double]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let keys = lines[0].split(separator: ",").map(String.init)
        var columns = [String: [Double]]()
        for line in lines.dropFirst() {
            for (key, field) in zip(keys, line.split(separator: ",")) { columns[key, default: []].append(Double(field)!) }
        }
        return columns
    }
}
