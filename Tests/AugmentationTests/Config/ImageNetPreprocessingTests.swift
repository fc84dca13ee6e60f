import Foundation
import Testing
import Imaging
import TestSupport
@testable import Augmentation

/// `preprocess_input` of the applications against Keras's (scripts/make_keras_preprocessing_fixture.py),
/// and `preprocessing_function` in a config: run after the random transforms, before `rescale`.
@Suite struct ImageNetPreprocessingTests {
    struct Fixture: Decodable {
        let shape: [Int]
        let input: [Float]
        let outputs: [String: [Float]]
    }

    static let fixture: Fixture = {
        let url = RepositoryFiles.fixture("AugmentationTests", "keras-preprocess-input.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    @Test(arguments: ["vgg16", "resnet50", "mobilenet_v2", "efficientnet_b0", "torch"])
    func matches_keras_preprocess_input(name: String) throws {
        let mode = try #require(ImageNetPreprocessing(name: name))
        var values = Self.fixture.input
        mode.apply(&values, channels: 3)
        let expected = try #require(Self.fixture.outputs[name])
        #expect(values.count == expected.count)
        for (a, b) in zip(values, expected) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b)), "\(name): \(a) vs \(b)") }
    }

    @Test func channels_first_matches_channels_last() throws {
        let (h, w) = (Self.fixture.shape[0], Self.fixture.shape[1])
        for mode in ImageNetPreprocessing.allCases {
            var hwc = Self.fixture.input
            mode.apply(&hwc, channels: 3)
            var chw = (0..<3).flatMap { c in (0..<(h * w)).map { Self.fixture.input[$0 * 3 + c] } }
            chw.withUnsafeMutableBufferPointer { mode.apply($0, pixels: h * w, channels: 3, layout: .chw) }
            let back = (0..<(h * w)).flatMap { p in (0..<3).map { chw[$0 * h * w + p] } }
            #expect(back == hwc, "\(mode)")
        }
    }

    @Test func config_runs_the_named_function_before_rescale() throws {
        let config = try JSONDecoder().decode(AugmentationConfig.self, from: Data(#"{"preprocessing_function": "mobilenet_v2", "rescale": 2}"#.utf8))
        #expect(config.preprocessingFunction?.name == "mobilenet_v2")
        let image = try Image(width: 2, height: 2, channels: 3, pixels: [UInt8](repeating: 51, count: 12))
        let augmenter = try Augmenter(config: config, outputHeight: 2, outputWidth: 2)
        let output = augmenter.render(image, transform: .identity)
        for value in output { #expect(abs(value - (51 / 127.5 - 1) * 2) < 1e-5) }
        let encoded = try JSONDecoder().decode(AugmentationConfig.self, from: JSONEncoder().encode(config))
        #expect(encoded.preprocessingFunction == config.preprocessingFunction)
    }

    @Test func unknown_name_is_a_named_error() {
        #expect(throws: AugmentationError(parameter: "preprocessing_function", value: "inception",
                                          reason: "must be one of vgg16, resnet50, mobilenet_v2, efficientnet_b0, caffe, tf, torch")) {
            try JSONDecoder().decode(AugmentationConfig.self, from: Data(#"{"preprocessing_function": "inception"}"#.utf8))
        }
    }
}
