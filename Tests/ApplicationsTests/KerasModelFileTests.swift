import Foundation
import Testing
import Applications
import KerasFiles
import Training
import TestSupport

/// Whole Keras models (scripts/make_keras_model_fixtures.py): `.keras`
/// archives and legacy full-model `.h5` files (Keras 3's and Keras 2's
/// serialisation) rebuilt from their configuration,
/// predicting as Keras did; saved back as `.keras` and loaded again.
@Suite struct KerasModelFileTests {
    /// Keras's outputs of one fixture: one entry per model output.
    struct Output: Decodable {
        let shape: [Int]
        let values: [[Float]]
    }

    static let expected: [String: [Output]] = {
        let url = RepositoryFiles.fixture("ApplicationsTests", "models/keras-model-outputs.json")
        return try! JSONDecoder().decode([String: [Output]].self, from: Data(contentsOf: url))
    }()

    static func path(_ name: String) -> String { RepositoryFiles.fixture("ApplicationsTests", "models/\(name)").path }

    /// The script's inputs for every model input (pixels for the CNN).
    static func inputs(of model: Model, pixels: Bool) -> [Tensor] {
        model.inputShapes.map { WeightRule.inputs($0, pixels: pixels) }
    }

    /// max |ours − Keras| ≤ 1e-4 · max |Keras| for every output.
    static func expectMatches(_ outputs: [Tensor], _ fixture: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = Self.expected[fixture]!
        #expect(outputs.count == expected.count, sourceLocation: sourceLocation)
        for (output, keras) in zip(outputs, expected) {
            #expect(Array(output.shape.dropFirst()) == keras.shape, sourceLocation: sourceLocation)
            let values = keras.values.flatMap { $0 }
            let scale = values.map(abs).max() ?? 0
            let difference = output.count == values.count ? zip(output.scalars, values).map { abs($0 - $1) }.max()! : .infinity
            #expect(scale > 0 && difference <= 1e-4 * scale, "\(fixture): max difference \(difference), max |Keras| \(scale)",
                    sourceLocation: sourceLocation)
        }
    }

    static let fixtures: [(file: String, name: String, pixels: Bool)] = [
        ("tiny_cnn.keras", "tiny_cnn", true), ("tiny_cnn.h5", "tiny_cnn", true),
        ("siamese.keras", "siamese", false), ("mobilenet_head.keras", "mobilenet_head", false),
        ("siamese_keras2.h5", "siamese", false),
    ]

    @Test(arguments: 0..<5)
    func loadsAndPredictsAsKeras(fixture index: Int) throws {
        let (file, name, pixels) = Self.fixtures[index]
        let model = try KerasModelFile.load(Self.path(file))
        Self.expectMatches(try model.predict(Self.inputs(of: model, pixels: pixels)), name)
    }

    @Test func architecturesAreKeras() throws {
        let cnn = try KerasModelFile.load(Self.path("tiny_cnn.keras"))
        #expect(cnn is Sequential && cnn.name == "tiny_cnn")
        #expect(cnn.layers.map(\.typeName) == ["Rescaling", "Conv2D", "BatchNormalization", "MaxPooling2D", "DepthwiseConv2D",
                                               "ReLU", "Flatten", "Dropout", "Dense"])
        let siamese = try KerasModelFile.load(Self.path("siamese.keras"))
        #expect(siamese.inputShapes == [[8, 8, 3], [8, 8, 3]] && siamese.outputShapes == [[2], [8]])
        #expect(siamese.nodes.filter { $0.layer?.name == "shared_conv" }.count == 2, "one layer, two calls")
        #expect(siamese.nodes.filter { $0.layer?.name == "square" }.map(\.call) == [0, 1])
        // Keras's summary: a shared layer is one row, connected to every call's inputs.
        let summary = siamese.summary()
        #expect(summary.components(separatedBy: "shared_conv (Conv2D)").count == 2)
        #expect(summary.contains("left[0][0], right[0][0]") && summary.contains("shared_conv[0][0],"))
        #expect(summary.contains("Total params: 274 (1.07 KB)"))
        let nested = try KerasModelFile.load(Self.path("mobilenet_head.keras"))
        let base = try #require(nested.layers.first as? Model)
        let application = try MobileNetV2(inputShape: [32, 32, 3], alpha: 0.35, includeTop: false, pooling: .avg)
        #expect(base.name == application.name && base.layers.map(\.name) == application.layers.map(\.name))
        #expect(base.parameterCount == 410_208 && nested.layers.map(\.name) == [base.name, "dropout", "dense"])
    }

    @Test func anUnsupportedLayerIsNamed() throws {
        let path = Self.path("unsupported_layer.keras")
        #expect(throws: KerasModelError.unsupportedLayer(file: path, layer: "norm", className: "LayerNormalization")) {
            try KerasModelFile.load(path)
        }
    }

    @Test func anUnsupportedArgumentIsNamed() throws {
        let path = Self.path("unsupported_argument.keras")
        #expect { try KerasModelFile.load(path) } throws: { error in
            guard case let .unsupportedArgument(file, layer, argument, _) = error as? KerasModelError else { return false }
            return file == path && layer == "regularized" && argument == "kernel_regularizer"
        }
    }

    /// A truncated archive is a typed error, not a crash.
    @Test func aDamagedArchiveIsRefused() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.path("tiny_cnn.keras")))
        let directory = try TemporaryDirectory()
        for (name, data) in [("half.keras", bytes.prefix(bytes.count / 2)), ("tail.keras", bytes.suffix(bytes.count / 3)),
                             ("empty.keras", Data())] {
            let path = directory.url.appendingPathComponent(name).path
            try Data(data).write(to: URL(fileURLWithPath: path))
            #expect { try KerasModelFile.load(path) } throws: { error in
                guard case let .invalidModel(file, _) = error as? KerasModelError else { return false }
                return file == path
            }
        }
    }

    @Test func notAModelFileIsRefused() throws {
        let weightsOnly = RepositoryFiles.fixture("ApplicationsTests", "mobilenet_v2_0.35_32_notop.h5").path
        #expect { try KerasModelFile.load(weightsOnly) } throws: { "\($0)".contains("no model_config attribute") }
        let json = Self.path("keras-model-outputs.json")
        #expect { try KerasModelFile.load(json) } throws: { "\($0)".contains("not a zip archive") }
    }

    /// A trained model saved as `.keras` loads back with the same predictions;
    /// with AUGMENT_KERAS_CHECK_DIR set, the archives and Augment's outputs are
    /// also written there for scripts/check_keras_archive.py (Keras loads them).
    @Test(arguments: 0..<5)
    func savedArchivesLoadBackIdentically(fixture index: Int) throws {
        let (file, name, pixels) = Self.fixtures[index]
        let model = try KerasModelFile.load(Self.path(file))
        let inputs = Self.inputs(of: model, pixels: pixels)
        if model.outputShapes.count == 1 {
            // A few training steps move the weights and the batch-normalisation statistics.
            model.compile(optimizer: try SGD(learningRate: 1e-3), loss: CategoricalCrossentropy())
            let targets = Tensor(shape: [2] + model.outputShape, scalars: (0..<(2 * model.outputWidth)).map { $0 % 3 == 0 ? 1 : 0 })
            for _ in 0..<3 { try model.trainStep(Batch(inputs: inputs[0], targets: targets)) }
        }
        let before = try model.predict(inputs)
        #expect(before.allSatisfy { $0.scalars.allSatisfy(\.isFinite) })
        let directory = try TemporaryDirectory()
        let saved = directory.url.appendingPathComponent("\(name).keras").path
        try KerasModelFile.save(model, to: saved)
        let again = try KerasModelFile.load(saved)
        #expect(try again.predict(inputs).map(\.scalars) == before.map(\.scalars))
        #expect(again.layers.map(\.name) == model.layers.map(\.name))
        try Self.exportForKeras(saved, as: "\(index)-\(name)", inputs: inputs, outputs: before)
    }

    /// With AUGMENT_KERAS_CHECK_DIR set, copies an archive Augment saved there as `name.keras`
    /// beside `name.json` (inputs and Augment's outputs) for scripts/check_keras_archive.py.
    static func exportForKeras(_ archive: String, as name: String, inputs: [Tensor], outputs: [Tensor]) throws {
        guard let directory = ProcessInfo.processInfo.environment["AUGMENT_KERAS_CHECK_DIR"] else { return }
        let stem = URL(fileURLWithPath: directory).appendingPathComponent(name)
        try? FileManager.default.removeItem(atPath: stem.path + ".keras")
        try FileManager.default.copyItem(atPath: archive, toPath: stem.path + ".keras")
        let record: [String: [[Float]]] = ["inputs": inputs.map(\.scalars), "outputs": outputs.map(\.scalars)]
        try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: stem.path + ".json"))
    }
}

