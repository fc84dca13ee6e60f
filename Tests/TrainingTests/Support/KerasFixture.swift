import Foundation
import TestSupport
import Testing
@testable import Training

/// One Keras parity case of Fixtures/keras-conv (see
/// scripts/make_keras_conv_fixtures.py): a layer's configuration, its
/// output and its one-step gradients, for inputs and weights given by formulas.
struct KerasFixture: Decodable, Sendable, CustomStringConvertible {
    struct Config: Decodable, Sendable {
        let filters: Int?
        let kernel_size: [Int]
        let strides: [Int]
        let padding: String
        let dilation_rate: [Int]?
        let groups: Int?
        let depth_multiplier: Int?
        let output_padding: [Int]?
        let use_bias: Bool
    }
    struct Weight: Decodable, Sendable { let name: String; let shape: [Int] }

    let `case`: String
    let class_name: String
    let config: Config
    let activation: String
    let input_shape: [Int]
    let weights: [Weight]
    let output_shape: [Int]
    let output: [Float]
    let input_gradient: [Float]
    let weight_gradients: [[Float]]

    var description: String { self.case }

    /// Tests/TrainingTests/Fixtures/keras-conv
    static let folder = RepositoryFiles.fixture("TrainingTests", "keras-conv")

    /// Every fixture in the folder, by case name.
    static func all() throws -> [KerasFixture] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { try JSONDecoder().decode(KerasFixture.self, from: Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    /// The script's formulas over a flattened tensor of `count` values.
    static func input(_ count: Int) -> [Float] { (0..<count).map { Float(cos(0.21 * Double($0) + 0.5)) } }
    static func weight(_ count: Int, position: Int) -> [Float] {
        (0..<count).map { Float(sin(0.37 * Double($0) + 0.1 + Double(position)) * 0.5) }
    }
    static func outputGradient(_ count: Int) -> [Float] { (0..<count).map { Float(cos(0.23 * Double($0) + 0.3)) } }

    private func pair(_ values: [Int]?) -> (Int, Int) { values.map { ($0[0], $0[1]) } ?? (1, 1) }

    /// The Swift layer of the same class and arguments.
    func makeLayer() throws -> any UnaryLayer {
        let activations: [String: ActivationFunction] = ["linear": .linear, "relu": .relu, "tanh": .tanh, "sigmoid": .sigmoid]
        let activation = try #require(activations[self.activation], "activation \(self.activation)")
        let padding = try #require(Padding(rawValue: config.padding))
        let c = config
        switch class_name {
        case "Conv2D":
            return try Conv2D(filters: c.filters!, kernelSize: pair(c.kernel_size), strides: pair(c.strides), padding: padding,
                              dilationRate: pair(c.dilation_rate), groups: c.groups ?? 1, activation: activation, useBias: c.use_bias)
        case "DepthwiseConv2D":
            return try DepthwiseConv2D(kernelSize: pair(c.kernel_size), strides: pair(c.strides), padding: padding,
                                       depthMultiplier: c.depth_multiplier!, dilationRate: pair(c.dilation_rate),
                                       activation: activation, useBias: c.use_bias)
        case "SeparableConv2D":
            return try SeparableConv2D(filters: c.filters!, kernelSize: pair(c.kernel_size), strides: pair(c.strides),
                                       padding: padding, depthMultiplier: c.depth_multiplier!,
                                       dilationRate: pair(c.dilation_rate), activation: activation, useBias: c.use_bias)
        case "Conv2DTranspose":
            return try Conv2DTranspose(filters: c.filters!, kernelSize: pair(c.kernel_size), strides: pair(c.strides),
                                       padding: padding, outputPadding: c.output_padding.map { ($0[0], $0[1]) },
                                       activation: activation, useBias: c.use_bias)
        default:
            throw TrainingError.invalidArgument(parameter: "class_name", value: class_name, reason: "no such layer")
        }
    }
}
