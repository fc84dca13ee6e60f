import Foundation
import Testing
import Applications
import KerasFiles
import Training
import TestSupport

/// Keras's weight files through libhdf5: MobileNetV2 alpha 0.35 at 32×32
/// saved by Keras as a legacy `.h5` (the `*_notop.h5` layout) and as a
/// Keras 3 `.weights.h5` (scripts/make_keras_application_parity.py).
@Suite struct KerasWeightFileTests {
    static let expected: KerasOutputs = {
        let url = RepositoryFiles.fixture("ApplicationsTests", "mobilenet_v2_0.35_32.json")
        return try! JSONDecoder().decode(KerasOutputs.self, from: Data(contentsOf: url))
    }()

    static func model(alpha: Float = 0.35, seed: UInt64 = 3) throws -> Model {
        try MobileNetV2(inputShape: [32, 32, 3], alpha: alpha, includeTop: false, seed: seed)
    }

    static func path(_ name: String) -> String { RepositoryFiles.fixture("ApplicationsTests", name).path }

    @Test(arguments: ["mobilenet_v2_0.35_32_notop.h5", "mobilenet_v2_0.35_32_notop.weights.h5"])
    func loads_and_predicts_as_keras(file: String) throws {
        let model = try Self.model()
        try model.loadKerasWeights(from: Self.path(file))
        let output = try model.predict(WeightRule.inputs([32, 32, 3], pixels: false))
        let (difference, scale) = Self.expected.deviation(from: output)
        #expect(scale > 0 && difference <= 1e-4 * scale, "\(file): max difference \(difference), max |Keras| \(scale)")
    }

    @Test func saved_weights_load_back_identically() throws {
        let model = try Self.model()
        try model.loadKerasWeights(from: Self.path("mobilenet_v2_0.35_32_notop.h5"))
        let directory = try TemporaryDirectory()
        let saved = directory.url.appendingPathComponent("again.weights.h5").path
        try model.saveKerasWeights(to: saved)
        let again = try Self.model(seed: 99)
        try again.loadKerasWeights(from: saved)
        #expect(again.weightValues() == model.weightValues())
    }

    @Test func a_file_of_another_width_names_the_first_layer_that_differs() throws {
        let model = try Self.model(alpha: 0.5)
        let before = model.weightValues()
        #expect(throws: TrainingError.weightsFile(
            path: Self.path("mobilenet_v2_0.35_32_notop.h5"),
            reason: "layer 'block_1_project': weight kernel has shape [1, 1, 48, 16] but the file's block_1_project/kernel has [1, 1, 48, 8]")) {
            try model.loadKerasWeights(from: Self.path("mobilenet_v2_0.35_32_notop.h5"))
        }
        #expect(model.weightValues() == before, "nothing is loaded from a file that does not fit")
    }

    @Test func a_model_layer_missing_from_the_file_is_named() throws {
        let input = try Input(shape: [32, 32, 3])
        let base = try Self.model()
        let output = try Dense(units: 2, name: "head")(try GlobalAveragePooling2D()(try base(input)))
        let model = try Model(inputs: input, outputs: output)
        #expect(throws: TrainingError.weightsFile(path: Self.path("mobilenet_v2_0.35_32_notop.weights.h5"),
                                                  reason: "layer 'mobilenetv2_0.35_32' has weights but /layers has no group for it (functional)")) {
            try model.loadKerasWeights(from: Self.path("mobilenet_v2_0.35_32_notop.weights.h5"))
        }
        #expect(throws: TrainingError.weightsFile(path: Self.path("mobilenet_v2_0.35_32_notop.h5"),
                                                  reason: "layer 'mobilenetv2_0.35_32' has weights but the file has no layer of that name")) {
            try model.loadKerasWeights(from: Self.path("mobilenet_v2_0.35_32_notop.h5"))
        }
    }

    @Test func files_that_are_not_keras_weights_are_named() throws {
        let directory = try TemporaryDirectory()
        let text = directory.url.appendingPathComponent("notes.h5").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        #expect(throws: TrainingError.weightsFile(path: text, reason: "not an HDF5 file")) {
            try Self.model().loadKerasWeights(from: text)
        }
        #expect(throws: TrainingError.weightsFile(path: "/nonexistent.h5", reason: "no such file")) {
            try Self.model().loadKerasWeights(from: "/nonexistent.h5")
        }
    }

    /// A file whose dataset claims 4 TB in 4 KB (scripts/make_hostile_h5_fixture.py) is refused
    /// before anything is allocated, naming the dataset and the bytes.
    @Test func a_dataset_claiming_terabytes_is_refused_before_allocating() throws {
        let model = try Sequential(inputShape: [4], layers: [Dense(units: 4)])
        let file = Self.path("hostile-huge-dataset.h5")
        do {
            try model.loadKerasWeights(from: file)
            Issue.record("a 4 TB dataset was accepted")
        } catch let TrainingError.weightsFile(path, reason) {
            #expect(path == file)
            #expect(reason.contains("/dense/dense/kernel:0: the dataset's shape [1048576, 1048576] needs 4.4 TB"), "\(reason)")
        }
    }
}
