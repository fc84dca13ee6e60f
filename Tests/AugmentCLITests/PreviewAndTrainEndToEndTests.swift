import Foundation
import Imaging
import Testing
import TestSupport

@Suite(.serialized) struct PreviewAndTrainEndToEndTests {
    @Test func versionAndInspect() throws {
        let version = try CommandRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(version.output.contains("libjpeg"))
        let inspect = try CommandRunner.run(["inspect", "samples/photos"])
        #expect(inspect.status == 0)
        #expect(inspect.output.contains("animals"))
    }

    @Test func previewWritesVariantsAndAContactSheet() throws {
        let temporary = try TemporaryDirectory()
        let folder = temporary.url
        let pipeline = folder.appendingPathComponent("p.yaml")
        try """
            data:
              directory: \(RepositoryFiles.root.path)/samples/photos
              target_size: [40, 48]
            augmentation:
              rotation_range: 20
              horizontal_flip: true
            """.write(to: pipeline, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("preview")
        let result = try CommandRunner.run(["preview", pipeline.path, "--count", "3", "--out", out.path])
        #expect(result.status == 0, "\(result.error)")
        // samples/photos has three classes: the first image of each, three variants each.
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(files.filter { $0.hasSuffix(".png") && $0 != "contact_sheet.png" }.count == 9)
        let sheet = try Image.decode(contentsOf: out.appendingPathComponent("contact_sheet.png").path)
        // 4 cells of 48 px + 5 gaps of 6 px wide; 3 rows of (14 px label + 40 px cell + 6 px gap) + 6 px tall.
        #expect(sheet.width == 4 * 48 + 5 * 6)
        #expect(sheet.height == 6 + 3 * (14 + 40 + 6))
        #expect(result.output.contains("contact_sheet.png"))
    }

    @Test func twoEpochTrainWritesEveryArtefact() throws {
        let temporary = try TemporaryDirectory()
        let folder = temporary.url
        try CommandRunner.digits("train", classes: ["0", "1", "7"], count: 12, into: folder.appendingPathComponent("train"))
        try CommandRunner.digits("test", classes: ["0", "1", "7"], count: 4, into: folder.appendingPathComponent("test"))
        let result = try CommandRunner.train("""
            data:
              directory: train
              target_size: [28, 28]
              color_mode: grayscale
              batch_size: 8
              validation_split: 0.25
              seed: 3
            augmentation:
              rotation_range: 10
              rescale: 0.00392156862745098
            model:
              layers:
                - conv2d: {filters: 4, kernel_size: 3, activation: relu}
                - max_pooling2d: {pool_size: 4}
                - flatten
                - dense: {units: 3, activation: softmax}
            training:
              epochs: 2
              early_stopping: {patience: 5}
              reduce_lr_on_plateau: {patience: 1, factor: 0.5}
            test:
              directory: test
            """, in: folder)
        let run = folder.appendingPathComponent("run")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("Total params: 475"))
        #expect(result.output.contains("Test (12 images)"))
        // Standard output is a pipe here: the progress bar gives one line per epoch, no carriage returns.
        #expect(!result.output.contains("\r"))
        #expect(result.output.contains("Epoch 2/2\n4/4 - "))
        for artefact in ["history.csv", "best.safetensors", "training_curves.png", "pipeline.resolved.yaml",
                         "augmented_samples.png"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(artefact).path), "\(artefact)")
        }
        let history = try String(contentsOf: run.appendingPathComponent("history.csv"), encoding: .utf8)
        #expect(history.split(separator: "\n").count == 3)
        let curves = try Image.decode(contentsOf: run.appendingPathComponent("training_curves.png").path)
        #expect(curves.width == 1280 && curves.height == 400)
    }

    @Test func trainsFromACSVListing() throws {
        let temporary = try TemporaryDirectory()
        let folder = temporary.url
        try CommandRunner.digits("train", classes: ["3", "8"], count: 8, into: folder.appendingPathComponent("images"))
        var rows = ["file,label"]
        for name in ["3", "8"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("images/\(name)").path)
            rows += files.sorted().map { "\(name)/\($0),digit\(name)" }
        }
        rows.append("3/missing.png,digit3")
        try (rows.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("list.csv"), atomically: true, encoding: .utf8)
        let pipeline = """
            data:
              csv: list.csv
              csv_directory: images
              x_col: file
              y_col: label
              target_size: [28, 28]
              color_mode: grayscale
              batch_size: 4
              validation_split: 0.25
            model:
              layers:
                - flatten
                - dense: {units: 2, activation: softmax}
            training:
              epochs: 1
              verbose: 2
            """
        let result = try CommandRunner.train(pipeline, in: folder)
        #expect(result.status == 0, "\(result.error)")
        // 16 listed files with 2 classes; the missing file is dropped with a warning, 25 % validation.
        #expect(result.output.contains("Training on 12 images in 2 classes, validating on 4."))
        #expect(result.error.contains("found 1 invalid image filename(s) in column \"file\""))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("run/augmented_samples.png").path))
        // Training again into the same run folder replaces its files.
        let again = try CommandRunner.train(pipeline, in: folder)
        #expect(again.status == 0, "\(again.error)")
    }
}
