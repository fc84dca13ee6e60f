import CPUBudget
import DataPipeline
import Foundation
import Imaging
import Testing
import TestSupport
@testable import Workflows

@Suite struct PreviewTests {
    static let repository = RepositoryFiles.root.path

    func pipeline(_ extra: String = "") throws -> PipelineFile {
        try PipelineFileLoader.parse(yaml: """
            data:
              directory: samples/photos
              target_size: [24, 32]
              seed: 3
            augmentation:
              rotation_range: 20
              horizontal_flip: true
              rescale: 0.004
            \(extra)
            """, file: "p.yaml")
    }

    @Test func writesVariantsAndASheetOfTheExpectedSize() throws {
        let temporary = try TemporaryDirectory()
        let out = temporary.path("preview")
        let inputs = ["animals/chelsea.jpg", "objects/camera.png"].map { Self.repository + "/samples/photos/" + $0 }
        let report = try Preview(pipeline: pipeline(), options: PreviewOptions(count: 3, outputDirectory: out))
            .run(inputs: inputs)
        #expect(report.variantFiles.count == 6)
        #expect(report.unreadable.isEmpty)
        let sheet = try Image.decode(contentsOf: report.contactSheet)
        let expected = ContactSheet(rows: [
            .init(label: "", tiles: Array(repeating: Image(width: 32, height: 24, channels: 3), count: 4)),
            .init(label: "", tiles: [Image(width: 32, height: 24, channels: 3)]),
        ]).size
        #expect(sheet.width == expected.width && sheet.height == expected.height)
        let variant = try Image.decode(contentsOf: report.variantFiles[0])
        #expect(variant.width == 32 && variant.height == 24 && variant.channels == 3)
        // Display output ignores rescale: a photo keeps its 0...255 range.
        #expect((variant.pixels.max() ?? 0) > 100)
    }

    @Test func sameSeedSameBytesAndUnreadableInputsAreReported() throws {
        let temporary = try TemporaryDirectory()
        let first = temporary.path("first"), second = temporary.path("second")
        try temporary.write("bogus.png", "not an image")
        let bogus = temporary.path("bogus.png")
        let inputs = [Self.repository + "/samples/photos/space/rocket.jpg", bogus]
        let a = try Preview(pipeline: pipeline(), options: PreviewOptions(count: 2, outputDirectory: first)).run(inputs: inputs)
        let b = try Preview(pipeline: pipeline(), options: PreviewOptions(count: 2, outputDirectory: second)).run(inputs: inputs)
        #expect(a.unreadable.map(\.path) == [bogus])
        #expect(a.unreadable.first?.error.kind == .unsupportedFormat)
        for (x, y) in zip(a.variantFiles, b.variantFiles) {
            #expect(FileManager.default.contents(atPath: x) == FileManager.default.contents(atPath: y))
        }
    }

    @Test func compareModesRendersTwoRowsPerInput() throws {
        let temporary = try TemporaryDirectory()
        let out = temporary.path("preview")
        let report = try Preview(pipeline: pipeline(), options: PreviewOptions(count: 1, outputDirectory: out, compareModes: true))
            .run(inputs: [Self.repository + "/samples/photos/space/rocket.jpg"])
        #expect(report.variantFiles.map { URL(fileURLWithPath: $0).lastPathComponent } == ["rocket_exact_0.png", "rocket_keras_0.png"])
    }

    @Test func noReadableInputIsAnError() throws {
        let temporary = try TemporaryDirectory()
        #expect(throws: WorkflowError.self) {
            try Preview(pipeline: pipeline(), options: PreviewOptions(outputDirectory: temporary.path("preview"))).run(inputs: [])
        }
    }

    /// What the preview writes is what the loader trains on: variant k of a training image is
    /// its sample of epoch k, value for value (the preview rounds to 8 bits, within ±0.5). A
    /// photo larger than the target size makes source-size draws or another decode show.
    @Test func previewShowsWhatTheLoaderRenders() throws {
        let temporary = try TemporaryDirectory()
        try temporary.makeDirectory("data/cats")
        try temporary.makeDirectory("data/space")
        for (folder, file) in [("cats", "animals/chelsea.jpg"), ("space", "space/rocket.jpg")] {
            try FileManager.default.copyItem(atPath: Self.repository + "/samples/photos/" + file,
                                             toPath: temporary.path("data/\(folder)/" + (file as NSString).lastPathComponent))
        }
        let pipeline = try PipelineFileLoader.parse(yaml: """
            data:
              directory: \(temporary.path("data"))
              target_size: [24, 32]
              batch_size: 2
              shuffle: false
              seed: 5
            augmentation:
              rotation_range: 20
              width_shift_range: 0.2
              height_shift_range: 0.1
              zoom_range: 0.2
              horizontal_flip: true
            """, file: "p.yaml")
        let rocket = temporary.path("data/space/rocket.jpg")
        let report = try Preview(pipeline: pipeline, options: PreviewOptions(count: 2, outputDirectory: temporary.path("out")))
            .run(inputs: [rocket])
        let data = try PipelineData(pipeline: pipeline, threads: ThreadPlan(budget: CPUBudget(processors: 2, affinity: nil, quota: nil), environment: [:], othersRunning: 0))
        let index = try #require((0..<data.training.count).first { data.training.path(of: $0) == rocket })
        for epoch in 0..<2 {
            let run = data.trainingLoader.epoch(epoch)
            let batch = try #require(try run.nextBatch())
            while try run.nextBatch() != nil {}
            _ = try run.finish()
            let size = 24 * 32 * 3
            let trained = batch.inputs.scalars(index * size ..< (index + 1) * size)
            let shown = try Image.decode(contentsOf: report.variantFiles[epoch]).pixels
            #expect(zip(trained, shown).allSatisfy { abs($0 - Float($1)) <= 0.5 + 1e-3 })
        }
    }

    /// An ops pipeline previews through the same renderer and logs each variant's drawn ops in
    /// torchvision's functional units.
    @Test func opsPreviewLogsTheDrawnTransforms() throws {
        let temporary = try TemporaryDirectory()
        let pipeline = try PipelineFileLoader.parse(yaml: """
            data:
              directory: samples/photos
              target_size: [24, 32]
              seed: 3
            augmentation:
              ops:
                - random_resized_crop: {size: [24, 32]}
                - horizontal_flip: {p: 1}
                - color_jitter: {brightness: 0.4}
                - normalize: {mean: imagenet, std: imagenet}
            """, file: "p.yaml")
        let photo = Self.repository + "/samples/photos/space/rocket.jpg"
        let report = try Preview(pipeline: pipeline, options: PreviewOptions(count: 2, outputDirectory: temporary.path("out"),
                                                                             logTransforms: true)).run(inputs: [photo])
        let log = try String(contentsOfFile: try #require(report.transformLog), encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["source"] as? String == photo && first["epoch"] as? Int == 1 - 1)
        let ops = try #require(first["ops"] as? [[String: Any]])
        #expect(ops.compactMap { $0["name"] as? String } == ["resized_crop", "horizontal_flip", "adjust_brightness"])
        let crop = try #require(ops[0]["parameters"] as? [String: Any])
        #expect(crop["size"] as? [Int] == [24, 32] && (crop["height"] as? Int ?? 0) > 0)
        // Display output leaves normalisation out: the pixels stay in 0...255.
        #expect((try Image.decode(contentsOf: report.variantFiles[0]).pixels.max() ?? 0) > 100)
    }
}
