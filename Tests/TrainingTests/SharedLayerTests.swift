import Testing
import TestSupport
@testable import Training

/// Shared layers (one layer object called by several nodes) and graphs
/// joined by a layer called on tensors of two `Input`s.
@Suite struct SharedLayerTests {
    /// A convolution called twice in a chain and a dense layer called twice,
    /// with a batch normalisation called on two branches.
    static func sharedModel(seed: UInt64 = 6) throws -> Model {
        let input = try Input(shape: [4, 4, 2], seed: seed)
        let conv = try Conv2D(filters: 2, kernelSize: (3, 3), padding: .same, activation: .tanh, name: "conv")
        let a = try conv(input)
        let b = try conv(a)
        let norm = try BatchNormalization(name: "norm")
        let sum = try Add()([try norm(a), try norm(b)])
        let pooled = try GlobalAveragePooling2D()(sum)
        let square = try Dense(units: 2, activation: .tanh, name: "square")
        let output = try Dense(units: 3, activation: .softmax, name: "head")(try square(try square(pooled)))
        return try Model(inputs: input, outputs: output)
    }

    @Test func sharedLayerGradientsMatchFiniteDifferences() throws {
        let model = try Self.sharedModel()
        #expect(model.layers.map(\.name) == ["conv", "norm", "add", "global_average_pooling2d", "square", "head"])
        #expect(model.trainableParameters.count == 2 + 2 + 2 + 2, "each shared weight is one parameter")
        model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
        try ModelGradientCheck.check(model, batch: ModelGradientCheck.batch(shape: [4, 4, 2], classes: 3), tolerance: 3e-2)
    }

    /// The same network written with separate layers holding copies of the
    /// shared weights computes the same outputs, in inference and training.
    @Test func sharedWeightsComputeWhatCopiesWould() throws {
        let model = try Self.sharedModel()
        let input = try Input(shape: [4, 4, 2])
        let conv1 = try Conv2D(filters: 2, kernelSize: (3, 3), padding: .same, activation: .tanh)
        let conv2 = try Conv2D(filters: 2, kernelSize: (3, 3), padding: .same, activation: .tanh)
        let a = try conv1(input)
        let b = try conv2(a)
        let norm1 = try BatchNormalization(), norm2 = try BatchNormalization()
        let pooled = try GlobalAveragePooling2D()(try Add()([try norm1(a), try norm2(b)]))
        let square1 = try Dense(units: 2, activation: .tanh), square2 = try Dense(units: 2, activation: .tanh)
        let head = try Dense(units: 3, activation: .softmax)
        let copy = try Model(inputs: input, outputs: try head(try square2(try square1(pooled))))
        let sharing = model.layers.filter { !$0.parameters.isEmpty }
        for (layer, copies) in zip(sharing, [[conv1, conv2], [norm1, norm2], [square1, square2], [head]] as [[any Layer]]) {
            for other in copies {
                for (mine, theirs) in zip(layer.parameters, other.parameters) { theirs.assign(mine.value.array(count: mine.count)) }
            }
        }
        let x = Tensor(shape: [3, 4, 4, 2], scalars: GradientCheck.values(96, key: 5))
        #expect(try model.predict(x).scalars == copy.predict(x).scalars)
        let trained = try model.forward([x], context: ForwardContext(training: true))
        let copied = try copy.forward([x], context: ForwardContext(training: true))
        #expect(Array(UnsafeBufferPointer(start: trained.outputs[0], count: 9)) == Array(UnsafeBufferPointer(start: copied.outputs[0], count: 9)))
    }

    /// Moving statistics of a shared batch normalisation are updated once per
    /// call, as in Keras, even when the backward pass re-runs a call.
    @Test func reRunCallsLeaveStatisticsAlone() throws {
        let model = try Self.sharedModel()
        model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
        let batch = ModelGradientCheck.batch(shape: [4, 4, 2], classes: 3)
        let norm = try #require(model.layers.first { $0.name == "norm" })
        _ = try model.forward([batch.inputs], context: ForwardContext(training: true))
        let afterForward = norm.parameters[2].value.array(count: 2)
        let reference = try Self.sharedModel()
        reference.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
        try reference.trainStep(batch)
        let referenceNorm = try #require(reference.layers.first { $0.name == "norm" })
        #expect(referenceNorm.parameters[2].value.array(count: 2) == afterForward)
    }

    /// Two `Input()` calls: the first layer called on both joins their graphs.
    @Test func twoInputsJoinOneGraph() throws {
        let left = try Input(shape: [3], seed: 2)
        let right = try Input(shape: [3])
        let dense = try Dense(units: 2)
        let joined = try Concatenate()([try dense(left), try dense(right)])
        let model = try Model(inputs: [left, right], outputs: [joined])
        #expect(left.graph === right.graph)
        #expect([left.name, right.name] == ["input_layer", "input_layer_1"])
        #expect(model.layers.count == 2 && model.parameterCount == 8)
        let x = Tensor(shape: [1, 3], scalars: [1, 2, 3]), y = Tensor(shape: [1, 3], scalars: [-1, 0, 2])
        let out = try model.predict([x, y])[0].scalars
        let single = try Model(inputs: left, outputs: try dense(left))
        let expected = try single.predict(x).scalars + single.predict(y).scalars
        #expect(out == expected)
        // Branches built in each graph before joining keep their layers, renamed when Augment chose the name.
        let a = try Input(shape: [2]), b = try Input(shape: [2])
        let da = try Dense(units: 1)(a), db = try Dense(units: 1)(b)
        let merged = try Model(inputs: [a, b], outputs: [try Add()([da, db])])
        #expect(merged.layers.map(\.name) == ["dense", "dense_1", "add"])
    }
}
