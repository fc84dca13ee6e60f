import Foundation
import Testing
import Applications
import Training
import TestSupport

/// The full-size architectures (alpha 1) at 32×32, without top, average
/// pooled, on the rule's weights: outputs within 1e-4 · max |Keras| of
/// Keras's (scripts/make_keras_application_parity.py).
@Suite struct ApplicationParityTests {
    static let fixture: [String: KerasOutputs] = {
        let url = RepositoryFiles.fixture("ApplicationsTests", "keras-application-parity.json")
        return try! JSONDecoder().decode([String: KerasOutputs].self, from: Data(contentsOf: url))
    }()

    @Test(arguments: Application.allCases)
    func matches_keras_on_rule_weights(application: Application) throws {
        let model = try application.model(ApplicationOptions(includeTop: false, inputShape: [32, 32, 3], pooling: .avg))
        WeightRule.fill(model)
        let expected = try #require(Self.fixture[application.rawValue])
        let output = try model.predict(WeightRule.inputs([32, 32, 3], pixels: application == .efficientNetB0))
        #expect(Array(output.shape.dropFirst()) == expected.output_shape)
        let (difference, scale) = expected.deviation(from: output)
        #expect(scale > 0 && difference <= 1e-4 * scale, "\(application): max difference \(difference), max |Keras| \(scale)")
    }
}
