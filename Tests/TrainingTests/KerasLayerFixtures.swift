import Foundation
import TestSupport
@testable import Training

/// One case of Fixtures/keras-layers (see scripts/make_keras_layer_fixtures.py),
/// located through ``RepositoryFiles``.
struct KerasLayerFixture: Decodable {
    let keras_layer: String
    let input_shape: [Int]
    let scale: Double
    let output_shape: [Int]
    let output: [Float]
    let adapt_shape: [Int]?
    let adapt_scale: Double?
    let weights: [String: [Float]]?

    static let folder = RepositoryFiles.fixture("TrainingTests", "keras-layers")

    static func load(_ name: String) throws -> KerasLayerFixture {
        try JSONDecoder().decode(KerasLayerFixture.self, from: Data(contentsOf: folder.appendingPathComponent(name + ".json")))
    }

    /// The generator's inputs: x[i] = sin(0.37 i + 0.1) · scale, rounded to Float.
    static func formula(count: Int, scale: Double) -> [Float] {
        (0..<count).map { Float(sin(0.37 * Double($0) + 0.1) * scale) }
    }

    var input: [Float] { Self.formula(count: input_shape.reduce(1, *), scale: scale) }

    /// Runs `layer` in inference on the fixture's input; returns the output
    /// shape (with the batch axis) and values.
    func run(_ layer: any Layer) throws -> (shape: [Int], values: [Float]) {
        let batch = input_shape[0]
        let shape = try layer.build(inputShapes: [Array(input_shape.dropFirst())], seed: 1)
        let values = input.withUnsafeBufferPointer { x in
            let y = layer.forward([x.baseAddress!], batch: batch, context: ForwardContext(training: false))
            return Array(UnsafeBufferPointer(start: y, count: batch * shape.reduce(1, *)))
        }
        return ([batch] + shape, values)
    }

    /// Largest |a − b| / max(|b|, floor) over two equally long arrays.
    static func maxRelativeError(_ a: [Float], _ b: [Float], floor: Float = 1e-3) -> Float {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1) / max(abs($1.1), floor)) }
    }
}
