import Foundation
import Testing
import TestSupport

/// Each kind of user mistake gives its message and a non-zero status, never a crash.
@Suite struct BadInputTests {
    func train(_ yaml: String) throws -> CommandRunner.Result {
        let temporary = try TemporaryDirectory()
        let folder = temporary.url
        try CommandRunner.digits("train", classes: ["0", "1"], count: 3, into: folder.appendingPathComponent("train"))
        return try CommandRunner.train(yaml, in: folder, name: "bad.yaml")
    }

    static let model = """
        model:
          layers:
            - flatten
            - dense: {units: 2, activation: softmax}
        training:
          epochs: 1
          verbose: 0
        """

    @Test func unknownKeyNamesFileLineAndKey() throws {
        let result = try train("data:\n  directory: train\n  batchsize: 4\n" + Self.model)
        #expect(result.status != 0)
        #expect(result.error.contains("bad.yaml:3:3: data.batchsize: unknown key 'batchsize'"))
        #expect(!result.error.contains("Fatal error"))
    }

    @Test func wrongTypeAndOutOfRange() throws {
        let wrongType = try train("data:\n  directory: train\n  target_size: big\n" + Self.model)
        #expect(wrongType.status != 0)
        #expect(wrongType.error.contains(":3:3: data.target_size: expected a list, found 'big'"))
        let range = try train("data:\n  directory: train\naugmentation:\n  zoom_range: -0.5\n" + Self.model)
        #expect(range.status != 0)
        #expect(range.error.contains(":4:3: augmentation.zoom_range"))
    }

    @Test func missingFolderIsNamed() throws {
        let result = try train("data:\n  directory: nowhere\n" + Self.model)
        #expect(result.status != 0)
        #expect(result.error.contains("nowhere"))
    }

    @Test func modelThatDoesNotFitTheDataSaysWhichLayerAndShapes() throws {
        let classes = try train("""
            data:
              directory: train
              target_size: [28, 28]
              color_mode: grayscale
            model:
              layers:
                - flatten
                - dense: {units: 5, activation: softmax}
            training:
              epochs: 1
            """)
        #expect(classes.status != 0)
        #expect(classes.error.contains("the last layer 'dense' outputs [5]"))
        let shapes = try train("""
            data:
              directory: train
              target_size: [4, 4]
              color_mode: grayscale
            model:
              layers:
                - conv2d: {filters: 2, kernel_size: 5}
                - flatten
                - dense: {units: 2, activation: softmax}
            training:
              epochs: 1
            """)
        #expect(shapes.status != 0)
        #expect(shapes.error.contains("conv2d"))
        #expect(shapes.error.contains("[4, 4, 1]"))
    }

    @Test func previewOfAMissingPipelineFile() throws {
        let result = try CommandRunner.run(["preview", "pipelines/does-not-exist.yaml"])
        #expect(result.status != 0)
        #expect(result.error.contains("does-not-exist.yaml: cannot read the file"))
    }
}

/// An unreadable image under each bad-file policy, through `augment train`.
@Suite struct BadFilePolicyEndToEndTests {
    func train(policy: String) throws -> CommandRunner.Result {
        let temporary = try TemporaryDirectory()
        let folder = temporary.url
        try CommandRunner.digits("train", classes: ["0", "1"], count: 6, into: folder.appendingPathComponent("train"))
        try Data("definitely not a PNG".utf8).write(to: folder.appendingPathComponent("train/1/zz_broken.png"))
        return try CommandRunner.train("""
            data:
              directory: train
              target_size: [28, 28]
              color_mode: grayscale
              batch_size: 4
              bad_files: \(policy)

            """ + BadInputTests.model, in: folder)
    }

    @Test func failStopsTrainingNamingTheFile() throws {
        let result = try train(policy: "fail")
        #expect(result.status != 0)
        #expect(result.error.contains("zz_broken.png"))
    }

    @Test func skipTrainsOnAndReportsTheFile() throws {
        let result = try train(policy: "skip")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("zz_broken.png"))
    }
}
