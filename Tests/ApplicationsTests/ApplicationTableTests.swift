import Foundation
import Testing
import Applications
import Training
import TestSupport

/// The four applications against Keras's own description of them
/// (scripts/make_keras_application_tables.py): model name, output shape,
/// every layer's name and class in Keras's order, every weight's path and
/// shape in `model.weights` order, total and trainable parameter counts.
@Suite struct ApplicationTableTests {
    struct Table: Decodable {
        struct Entry: Decodable {
            let application: String
            let include_top: Bool
            let input_shape: [Int]
            let alpha: Float
            let pooling: String
            let classes: Int
            let name: String
            let output_shape: [Int]
            let params: Int
            let trainable_params: Int
            let layers: [[String]]
            let weights: [Weight]
        }
        struct Weight: Decodable {
            let path: String
            let shape: [Int]
            init(from decoder: Decoder) throws {
                var c = try decoder.unkeyedContainer()
                path = try c.decode(String.self)
                shape = try c.decode([Int].self)
            }
        }
        let models: [Entry]
    }

    static let table: Table = {
        let url = RepositoryFiles.fixture("ApplicationsTests", "keras-application-tables.json")
        return try! JSONDecoder().decode(Table.self, from: Data(contentsOf: url))
    }()

    @Test func every_configuration_matches_keras() throws {
        for entry in Self.table.models {
            let label = "\(entry.application) top=\(entry.include_top) \(entry.input_shape) alpha=\(entry.alpha) \(entry.pooling)"
            let options = ApplicationOptions(includeTop: entry.include_top, inputShape: entry.input_shape,
                                             pooling: GlobalPooling(rawValue: entry.pooling)!, classes: entry.classes,
                                             alpha: entry.alpha)
            let model = try #require(Application(name: entry.application)).model(options)
            #expect(model.name == entry.name, "\(label)")
            #expect(model.outputShape == entry.output_shape, "\(label)")
            #expect(model.layers.map { [$0.name, $0.typeName] } == entry.layers, "\(label)")
            let weights = model.namedParameters
            #expect(weights.map(\.name) == entry.weights.map(\.path), "\(label)")
            #expect(weights.map(\.shape) == entry.weights.map(\.shape), "\(label)")
            #expect(model.parameters.reduce(0) { $0 + $1.count } == entry.params, "\(label)")
            #expect(model.trainableParameters.reduce(0) { $0 + $1.count } == entry.trainable_params, "\(label)")
        }
    }
}

extension Model {
    /// `layer/weight` paths and shapes, without copying values.
    var namedParameters: [(name: String, shape: [Int])] {
        layers.flatMap { layer in layer.parameters.map { ("\(layer.name)/\($0.name)", $0.shape) } }
    }
}
