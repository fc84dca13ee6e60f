import Foundation
import Testing
import TestSupport
@testable import Training

/// Small functional models against Keras 3: outputs, loss, the gradient of
/// every weight after one step, and the summary's fields, from fixtures made
/// by scripts/make_keras_graph_fixtures.py (same layers, names and weights).
@Suite struct GraphParityTests {
    struct Reference: Decodable {
        struct Row: Decodable { let name: String; let type: String; let shape: [Int]; let params: Int; let connected: [String] }
        let input_shape: [Int]
        let input: [Float]
        let targets: [Float]
        let output: [Float]
        let loss: Double
        let weights: [String: [Float]]
        let gradients: [String: [Float]]
        let summary: [Row]
        let total_params: Int
    }

    func reference(_ name: String) throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: RepositoryFiles.fixture("TrainingTests", "keras-graph/\(name).json")))
    }

    func residual() throws -> Model {
        let x = try Input(shape: [6, 6, 2])
        let a = try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu, name: "conv2d")(x)
        let b = try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, name: "conv2d_1")(a)
        let sum = try Add(name: "add")([a, b])
        let r = try Activation(.relu, name: "activation")(sum)
        let p = try MaxPooling2D(name: "max_pooling2d")(r)
        let f = Flatten(name: "flatten")
        let y = try Dense(units: 3, activation: .softmax, name: "dense")(try f(p))
        return try Model(inputs: x, outputs: y, name: "residual")
    }

    func branching() throws -> Model {
        let x = try Input(shape: [5, 5, 3])
        let a = try Conv2D(filters: 3, kernelSize: (1, 1), activation: .relu, name: "conv2d")(x)
        let b = try Conv2D(filters: 2, kernelSize: (3, 3), padding: .same, activation: .tanh, name: "conv2d_1")(x)
        let c = try Concatenate(name: "concatenate")([a, b])
        let d = try Conv2D(filters: 5, kernelSize: (1, 1), name: "conv2d_2")(c)
        let e = try Maximum(name: "maximum")([c, d])
        let m = try Multiply(name: "multiply")([e, d])
        let s = try Subtract(name: "subtract")([m, c])
        let v = try Average(name: "average")([c, s, e])
        let g = try GlobalAveragePooling2D(name: "global_average_pooling2d")(v)
        let y = try Dense(units: 3, activation: .softmax, name: "dense")(g)
        return try Model(inputs: x, outputs: y, name: "branching")
    }

    func nested() throws -> Model {
        let inner = try Input(shape: [6, 6, 2])
        let h = try Conv2D(filters: 4, kernelSize: (3, 3), activation: .relu, name: "conv2d")(inner)
        let base = try Model(inputs: inner, outputs: try Conv2D(filters: 3, kernelSize: (3, 3), padding: .same, name: "conv2d_1")(h),
                             name: "base")
        let x = try Input(shape: [6, 6, 2])
        let pooled = try GlobalMaxPooling2D(name: "global_max_pooling2d")(try base(x))
        let y = try Dense(units: 2, activation: .softmax, name: "dense")(pooled)
        return try Model(inputs: x, outputs: y, name: "outer")
    }

    /// EfficientNet's squeeze-and-excitation: a per-channel gate broadcast over the feature map.
    func squeezeExcitation() throws -> Model {
        let x = try Input(shape: [5, 5, 4])
        let d = try Activation(.silu, name: "activation")(
            try DepthwiseConv2D(kernelSize: (3, 3), padding: .same, name: "depthwise_conv2d")(x))
        var s = try GlobalAveragePooling2D(keepdims: true, name: "global_average_pooling2d")(d)
        s = try Conv2D(filters: 2, kernelSize: (1, 1), activation: .silu, name: "conv2d")(s)
        s = try Conv2D(filters: 4, kernelSize: (1, 1), activation: .sigmoid, name: "conv2d_1")(s)
        let m = try Multiply(name: "multiply")([d, s])
        let g = try GlobalAveragePooling2D(name: "global_average_pooling2d_1")(m)
        let y = try Dense(units: 3, activation: .softmax, name: "dense")(g)
        return try Model(inputs: x, outputs: y, name: "squeeze_excitation")
    }

    /// MobileNetV2's inverted residual block, batch normalisation in training mode.
    func invertedResidual() throws -> Model {
        func normalized(_ h: SymbolicTensor, _ name: String) throws -> SymbolicTensor {
            try BatchNormalization(momentum: 0.999, epsilon: 1e-3, name: name)(h)
        }
        let x = try Input(shape: [6, 6, 3])
        var h = try normalized(try Conv2D(filters: 6, kernelSize: (1, 1), useBias: false, name: "expand")(x), "expand_bn")
        h = try ReLU(maxValue: 6, name: "expand_relu")(h)
        h = try normalized(try DepthwiseConv2D(kernelSize: (3, 3), padding: .same, useBias: false, name: "depthwise")(h),
                           "depthwise_bn")
        h = try ReLU(maxValue: 6, name: "depthwise_relu")(h)
        h = try normalized(try Conv2D(filters: 3, kernelSize: (1, 1), useBias: false, name: "project")(h), "project_bn")
        let a = try Add(name: "add")([x, h])
        let s = try SeparableConv2D(filters: 4, kernelSize: (3, 3), strides: (2, 2), name: "separable_conv2d")(a)
        let g = try GlobalAveragePooling2D(name: "global_average_pooling2d")(s)
        let y = try Dense(units: 3, activation: .softmax, name: "dense")(g)
        return try Model(inputs: x, outputs: y, name: "inverted_residual")
    }

    /// Keras 3 names a nested model's weights by layer alone (`conv2d/kernel`); Augment prefixes the model.
    func kerasPath(_ name: String) -> String { name.split(separator: "/").suffix(2).joined(separator: "/") }

    @Test(arguments: ["residual", "branching", "nested", "squeeze_excitation", "inverted_residual"])
    func matchesKeras(_ name: String) throws {
        let reference = try reference(name)
        let builders = ["residual": residual, "branching": branching, "nested": nested,
                        "squeeze_excitation": squeezeExcitation, "inverted_residual": invertedResidual]
        let model = try builders[name]!()
        for (path, parameter) in model.namedParameters() {
            let values = try #require(reference.weights[kerasPath(path)], "no Keras weight \(path)")
            #expect(values.count == parameter.count)
            parameter.value.pointer.update(from: values, count: parameter.count)
        }
        #expect(model.parameterCount == reference.total_params)
        model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
        let batch = Batch(inputs: Tensor(shape: reference.input_shape, scalars: reference.input),
                          targets: Tensor(shape: [reference.input_shape[0], reference.targets.count / reference.input_shape[0]],
                                          scalars: reference.targets))
        // Keras's output and gradients come from a training-mode pass (batch statistics).
        let (outputs, _) = try model.forward([batch.inputs], context: ForwardContext(training: true))
        let output = Array(UnsafeBufferPointer(start: outputs[0], count: reference.output.count))
        let result = try model.trainer!.lossAndMetrics(batch, context: ForwardContext(training: true), backward: true)
        #expect(abs(result.loss - reference.loss) <= 1e-5 * max(1, abs(reference.loss)))
        let scale = reference.output.map(abs).max() ?? 1
        for (a, k) in zip(output, reference.output) { #expect(abs(a - k) <= 1e-4 * scale, "\(name) output \(a) vs \(k)") }
        for (path, parameter) in model.namedParameters() where parameter.isTrainable {
            let expected = try #require(reference.gradients[kerasPath(path)])
            let actual = parameter.gradient.array(count: parameter.count)
            let largest = expected.map(abs).max() ?? 1
            for (i, (a, k)) in zip(actual, expected).enumerated() {
                #expect(abs(a - k) <= 1e-4 * max(largest, 1e-3), "\(name) d/d\(path)[\(i)]: \(a) vs Keras \(k)")
            }
        }
        // Summary fields: every layer's name, type, output shape, parameters and inputs (Keras's input names aside).
        let rows = reference.summary.filter { $0.type != "InputLayer" }
        #expect(model.layers.map(\.name) == rows.map(\.name))
        #expect(model.layers.map(\.typeName) == rows.map(\.type))
        #expect(model.layers.map(\.outputShape) == rows.map(\.shape))
        #expect(model.layers.map(\.parameterCount) == rows.map(\.params))
        let connected = model.graph.nodes.filter { $0.layer != nil }.map { node in
            node.inputs.map { model.graph.nodes[$0].layer == nil ? "input" : model.graph.nodes[$0].name }
        }
        #expect(connected == rows.map { $0.connected.map { $0.hasPrefix("input_layer") ? "input" : $0 } })
    }
}
