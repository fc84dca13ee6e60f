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
}
