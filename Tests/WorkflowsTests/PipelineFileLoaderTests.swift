import Testing
@testable import Workflows

@Suite struct PipelineFileLoaderTests {
    func error(_ yaml: String) -> PipelineFileError? {
        do {
            _ = try PipelineFileLoader.parse(yaml: yaml, file: "p.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func readsDefaultsAndGivenValues() throws {
        let file = try PipelineFileLoader.parse(yaml: """
            data:
              directory: images
              target_size: [28, 28]
              batch_size: 16
            """, file: "p.yaml")
        #expect(file.data.directory == "images")
        #expect(file.data.targetSize == [28, 28])
        #expect(file.data.batchSize == 16)
        #expect(file.data.colorMode == "rgb")
        #expect(file.data.badFiles == "fail")
        #expect(file.test == nil)
    }

    @Test func unknownKeyNamesLineAndKey() {
        let found = error("""
            data:
              directory: images
              batch_sise: 16
            """)
        #expect(found?.line == 3)
        #expect(found?.key == "data.batch_sise")
        #expect(found?.reason.contains("unknown key 'batch_sise'") == true)
        #expect(found?.description.hasPrefix("p.yaml:3:3: data.batch_sise: unknown key") == true)
    }

    @Test func wrongTypeSaysWhatWasFound() {
        let found = error("""
            data:
              directory: images
              batch_size: many
            """)
        #expect(found?.line == 3)
        #expect(found?.key == "data.batch_size")
        #expect(found?.reason == "expected an integer, found 'many'")
    }

    @Test func outOfRangeValueIsRejected() {
        let found = error("""
            data:
              directory: images
              validation_split: 1.5
            """)
        #expect(found?.line == 3)
        #expect(found?.key == "data.validation_split")
        #expect(found?.reason.contains("[0, 1)") == true)
    }

    @Test func unknownWordListsTheAcceptedOnes() {
        let found = error("""
            data:
              directory: images
              color_mode: sepia
            """)
        #expect(found?.reason == "'sepia' is not one of: grayscale, rgb, rgba")
    }

    @Test func missingSectionAndBadSyntax() {
        #expect(error("test:\n  directory: t\n")?.reason == "missing required key 'data'")
        let syntax = error("data:\n  directory: [unclosed\n")
        #expect(syntax?.reason.hasPrefix("not valid YAML") == true)
        #expect(syntax?.line != nil)
        #expect(error("- just\n- a list\n")?.reason.contains("mapping") == true)
    }

    @Test func atMostOneSource() {
        #expect(error("data:\n  batch_size: 2\n") == nil, "a pipeline file for augment predict needs no data folder")
        #expect(error("data:\n  directory: a\n  csv: b.csv\n")?.reason == "give one of 'directory' and 'csv', not both")
        #expect(error("data:\n  directory: a\n  csv: b.csv\n")?.key == "data.csv")
    }

    @Test func validationDirectoryOrSplit() {
        #expect(error("data:\n  directory: a\n  validation_directory: v\n") == nil)
        #expect(error("data:\n  directory: a\n  validation_directory: v\n  validation_split: 0.2\n")?.reason
                == "give 'validation_directory' or 'validation_split', not both")
        #expect(error("data:\n  directory: a\n  validation_directory: v\naugmentation:\n  validation_split: 0.2\n")?.reason
                == "give data.validation_directory or augmentation.validation_split, not both")
    }
}
