import Foundation
import Testing
import TestSupport

/// `augment predict` end to end on samples/photos: a pipeline file used only
/// for prediction, its base a Keras application with a Keras
/// weight file and average pooling, under a 3-class head; the class names
/// come from the data folder's subfolders.
@Suite struct PredictCommandTests {
    static func pipeline(in folder: TemporaryDirectory) throws -> String {
        let weights = RepositoryFiles.fixture("ApplicationsTests", "mobilenet_v2_0.35_32_notop.h5").path
        try folder.write("features.yaml", """
            base: {application: mobilenet_v2, alpha: 0.35, pooling: avg, weights: \(weights)}
            data: {directory: \(RepositoryFiles.url("samples/photos").path), target_size: [32, 32]}
            augmentation: {preprocessing_function: mobilenet_v2}
            model: {layers: [{dense: {units: 3, activation: softmax}}]}
            training: {epochs: 1}
            """)
        return folder.path("features.yaml")
    }

    @Test func raw_json_lists_every_output_in_path_order() throws {
        let folder = try TemporaryDirectory()
        let result = try CommandRunner.run(["predict", Self.pipeline(in: folder), "samples/photos/space", "samples/photos/objects/coins.jpg",
                                            "--raw", "--json", "--batch", "2"])
        #expect(result.status == 0, "\(result.error)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let predictions = try #require(object?["predictions"] as? [[String: Any]])
        let paths = predictions.compactMap { $0["path"] as? String }
        #expect(paths == paths.sorted() && paths.count == 5 && paths.contains("samples/photos/objects/coins.jpg"))
        #expect(predictions.allSatisfy { ($0["outputs"] as? [Double])?.count == 3 })
    }

    @Test func top_k_lines_and_named_errors() throws {
        let folder = try TemporaryDirectory()
        let result = try CommandRunner.run(["predict", Self.pipeline(in: folder), "samples/photos/animals", "--top", "3"])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.split(separator: ",").count == 3 })
        #expect(lines.allSatisfy { line in ["animals", "objects", "space"].allSatisfy { line.contains($0) } })
        let missing = try CommandRunner.run(["predict", Self.pipeline(in: folder), "no/such.png"])
        #expect(missing.status != 0 && missing.error.contains("no/such.png: no such image or folder"))
    }
}
