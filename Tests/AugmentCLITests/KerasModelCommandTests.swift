import Foundation
import Imaging
import KerasFiles
import Testing
import TestSupport
import Training

/// `augment predict` on Keras model files and `augment evaluate` on a
/// pipeline file's trained model, end to end.
@Suite struct KerasModelCommandTests {
    static func fixture(_ name: String) -> String { RepositoryFiles.fixture("ApplicationsTests", "models/\(name)").path }

    /// An image already at the model's size is not resized: the printed
    /// outputs are the model's on its pixels as Floats 0–255, to the last bit.
    @Test func predictRunsAKerasArchiveOnPixelsAsTheyAre() throws {
        let folder = try TemporaryDirectory()
        let pixels: [UInt8] = (0..<(32 * 32 * 3)).map { (index: Int) -> UInt8 in UInt8((index * 37 + index / 96) % 256) }
        let image = try Image(width: 32, height: 32, channels: 3, pixels: pixels)
        let png: [UInt8] = try image.encoded(as: EncodeFormat.png())
        try Data(png).write(to: URL(fileURLWithPath: folder.path("square.png")))
        let result = try CommandRunner.run(["predict", Self.fixture("mobilenet_head.keras"), folder.path("square.png"), "--raw", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let predictions = try #require(object?["predictions"] as? [[String: Any]])
        let printed = try #require(predictions.first?["outputs"] as? [Double]).map(Float.init)
        let model = try KerasModelFile.load(Self.fixture("mobilenet_head.keras"))
        let expected = try model.predict(Tensor(shape: [1, 32, 32, 3], scalars: pixels.map(Float.init))).scalars
        #expect(printed == expected)
    }

    /// A legacy full-model `.h5` on the sample photos: resized to 8×8, three
    /// softmax outputs per image, top classes by index.
    @Test func predictRunsALegacyH5OnFolders() throws {
        let result = try CommandRunner.run(["predict", Self.fixture("tiny_cnn.h5"), "samples/photos", "--top", "2"])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 9 && lines.allSatisfy { $0.split(separator: ",").count == 2 })
        let raw = try CommandRunner.run(["predict", Self.fixture("tiny_cnn.h5"), "samples/photos/animals", "--raw", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(raw.output.utf8)) as? [String: Any]
        let outputs = try #require((object?["predictions"] as? [[String: Any]])?.compactMap { $0["outputs"] as? [Double] })
        #expect(outputs.count == 2 && outputs.allSatisfy { $0.count == 3 && abs($0.reduce(0, +) - 1) < 1e-5 })
        let run = try CommandRunner.run(["predict", Self.fixture("tiny_cnn.h5"), "samples/photos", "--run", "runs/x"])
        #expect(run.status != 0 && run.error.contains("--run takes a pipeline file's run folder"))
        let unsupported = try CommandRunner.run(["predict", Self.fixture("unsupported_layer.keras"), "samples/photos"])
        #expect(unsupported.status != 0 && unsupported.error.contains("LayerNormalization"))
    }

    /// `augment evaluate --run` gives the numbers `augment train` printed for
    /// the test folder (one epoch: the best weights are the last), and takes another folder.
    @Test func evaluateMeasuresTheRunsBestWeights() throws {
        let folder = try TemporaryDirectory()
        let weights = RepositoryFiles.fixture("ApplicationsTests", "mobilenet_v2_0.35_32_notop.h5").path
        let photos = RepositoryFiles.url("samples/photos").path
        try folder.write("tiny.yaml", """
            data: {directory: \(photos), target_size: [32, 32], batch_size: 3, seed: 2}
            augmentation: {preprocessing_function: mobilenet_v2, horizontal_flip: true}
            model:
              base: {application: mobilenet_v2, alpha: 0.35, pooling: avg, weights: \(weights)}
              layers: [{dense: {units: 3, activation: softmax}}]
            training: {epochs: 1, optimizer: {name: adam, learning_rate: 0.01}}
            test: {directory: \(photos)}
            """)
        let run = folder.path("run")
        let trained = try CommandRunner.run(["train", folder.path("tiny.yaml"), "--out", run])
        #expect(trained.status == 0, "\(trained.error)")
        let testLine = try #require(trained.output.split(separator: "\n").first { $0.hasPrefix("Test (") })
        let evaluated = try CommandRunner.run(["evaluate", folder.path("tiny.yaml"), "--run", run])
        #expect(evaluated.status == 0, "\(evaluated.error)")
        #expect(evaluated.output.contains("samples/photos (9 images) - "))
        let measured = evaluated.output.trimmingCharacters(in: .newlines).split(separator: " - ").dropFirst()
        #expect(measured.count == 2 && measured == testLine.split(separator: " - ").dropFirst())
        // Another folder with the same classes.
        for (name, image) in [("animals", "animals/chelsea.jpg"), ("objects", "objects/coins.jpg"), ("space", "space/rocket.jpg")] {
            try FileManager.default.createDirectory(atPath: folder.path("other/\(name)"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(photos)/\(image)", toPath: folder.path("other/\(image)"))
        }
        let other = try CommandRunner.run(["evaluate", folder.path("tiny.yaml"), folder.path("other"), "--weights", run + "/best.safetensors"])
        #expect(other.status == 0 && other.output.contains("other (3 images) - accuracy: "), "\(other.output) \(other.error)")
    }
}
