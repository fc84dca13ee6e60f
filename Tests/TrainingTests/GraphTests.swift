import Foundation
import Testing
@testable import Training

/// The graph engine: fan-out, merges, nested and frozen models, and the
/// errors of graphs that cannot be built.
@Suite struct GraphTests {
    /// A node feeding two branches that meet again (a residual block) and a
    /// concatenation of a merged node with one of its own inputs.
    func residualModel(seed: UInt64 = 3) throws -> Model {
        let input = try Input(shape: [4, 4, 2], seed: seed)
        let a = try Conv2D(filters: 3, kernelSize: (3, 3), padding: .same, activation: .tanh)(input)
        let b = try Conv2D(filters: 3, kernelSize: (3, 3), padding: .same)(a)
        let sum = try Add()([a, b])
        let joined = try Concatenate()([sum, a])
        let pooled = try GlobalAveragePooling2D()(joined)
        let output = try Dense(units: 3, activation: .softmax)(pooled)
        return try Model(inputs: input, outputs: output)
    }

    @Test func fanOutGradientsMatchFiniteDifferences() throws {
        let model = try residualModel()
        model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
        try ModelGradientCheck.check(model, batch: ModelGradientCheck.batch(shape: [4, 4, 2], classes: 3))
    }

    @Test func mergeLayersGradients() throws {
        for layer: any Layer in [Add(), Subtract(), Average(), Multiply()] {
            try GradientCheck.check(layer, inputShapes: [[2, 2, 3], [2, 2, 3]])
        }
        try GradientCheck.check(Add(), inputShapes: [[2, 3], [2, 3], [2, 3]])
        // Squeeze-and-excitation's broadcast: (h, w, c) × (1, 1, c).
        try GradientCheck.check(Multiply(), inputShapes: [[2, 2, 3], [1, 1, 3]])
        try GradientCheck.check(Add(), inputShapes: [[1, 3], [2, 1]])
        // Inputs apart from each other, so that no step crosses a tie.
        let a = (0..<12).map { Float($0) * 0.3 - 1.7 }, b = (0..<12).map { Float(($0 * 5) % 12) * 0.3 - 1.6 }
        try GradientCheck.check(Maximum(), inputShapes: [[2, 3], [2, 3]], inputs: [a, b])
        try GradientCheck.check(Minimum(), inputShapes: [[2, 3], [2, 3]], inputs: [a, b])
        try GradientCheck.check(Concatenate(), inputShapes: [[2, 2, 1], [2, 2, 3]])
        try GradientCheck.check(Concatenate(axis: 1), inputShapes: [[1, 2, 3], [2, 2, 3]])
    }

    @Test func mergeForwardValues() throws {
        let a = try Input(shape: [2])
        let b = try a.graph.input(shape: [1])
        let c = try a.graph.input(shape: [2])
        let d = try a.graph.input(shape: [1, 2])
        let e = try a.graph.input(shape: [2, 2])
        let model = try Model(inputs: [a, b, c, d, e], outputs: [
            try Add()([a, b]), try Maximum()([a, c]), try Concatenate(axis: 1)([d, e]),
        ])
        let outputs = try model.predict([
            Tensor(shape: [1, 2], scalars: [1, 5]), Tensor(shape: [1, 1], scalars: [10]),
            Tensor(shape: [1, 2], scalars: [3, 2]), Tensor(shape: [1, 1, 2], scalars: [3, 2]),
            Tensor(shape: [1, 2, 2], scalars: [3, 4, 5, 6]),
        ])
        #expect(outputs[0].scalars == [11, 15])
        #expect(outputs[1].scalars == [3, 5])
        #expect(outputs[2].shape == [1, 3, 2])
        #expect(outputs[2].scalars == [3, 2, 3, 4, 5, 6])
    }

    /// A model used as a layer of a Sequential shares its weights, and
    /// freezing it freezes every layer inside (batch normalisation then uses
    /// its moving statistics, as in Keras).
    @Test func nestedModelTrainsAndFreezes() throws {
        let input = try Input(shape: [5, 5, 2], seed: 4)
        let conv = try Conv2D(filters: 3, kernelSize: (3, 3), activation: .relu)(input)
        let normalized = try BatchNormalization()(conv)
        let base = try Model(inputs: input, outputs: normalized, name: "base")
        let model = try Sequential(inputShape: [5, 5, 2], seed: 5, layers: [base, GlobalMaxPooling2D(), Dense(units: 2, activation: .softmax)])
        #expect(model.parameterCount == base.parameterCount + 8)
        #expect(model.namedWeights().map(\.name).prefix(2) == ["base/conv2d/kernel", "base/conv2d/bias"])
        model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
        let batch = ModelGradientCheck.batch(shape: [5, 5, 2], classes: 2)
        // Batch statistics make the loss depend on the whole batch: still a smooth function.
        try ModelGradientCheck.check(model, batch: batch, step: 1e-2, tolerance: 3e-2)

        base.trainable = false
        #expect(base.layers.allSatisfy { !$0.trainable })
        #expect(model.trainableParameterCount == 8)
        let frozen = base.parameters.map { $0.value.array(count: $0.count) }
        try model.trainStep(batch)
        #expect(base.parameters.map { $0.value.array(count: $0.count) } == frozen)
        try ModelGradientCheck.check(model, batch: batch)
    }

    /// The same chain as a Sequential and as a Model: the same weights, outputs and updates, bit for bit.
    @Test func sequentialEqualsTheSameChainAsAModel() throws {
        let sequential = try CourseModels.small(seed: 9)
        let input = try Input(shape: [28, 28, 1], seed: 9)
        var x = input
        for layer in try CourseModels.small(seed: 9).layers {
            let copy = try Self.copy(layer)
            x = try copy.callAsFunction(x)
        }
        let model = try Model(inputs: input, outputs: x)
        #expect(model.namedWeights().map(\.name) == sequential.namedWeights().map(\.name))
        #expect(model.weightValues() == sequential.weightValues())
        let batch = ModelGradientCheck.batch(shape: [28, 28, 1], classes: 10)
        for m in [sequential, model] as [Model] { m.compile(optimizer: try Adam(), loss: CategoricalCrossentropy()) }
        for step in 0..<3 {
            try sequential.trainStep(batch, epoch: 0, sampleOffset: 2 * step)
            try model.trainStep(batch, epoch: 0, sampleOffset: 2 * step)
        }
        #expect(model.weightValues() == sequential.weightValues())
        #expect(try model.predict(batch.inputs) == sequential.predict(batch.inputs))
    }

    /// An unbuilt layer of the same kind and arguments as `layer`.
    static func copy(_ layer: any Layer) throws -> any Layer {
        if let conv = layer as? Conv2D {
            return try Conv2D(filters: conv.filters, kernelSize: conv.kernelSize, strides: conv.strides,
                              padding: conv.padding, activation: conv.activation, useBias: conv.useBias)
        }
        if layer is MaxPooling2D { return try MaxPooling2D() }
        if layer is Flatten { return Flatten() }
        if let dense = layer as? Dense { return try Dense(units: dense.units, activation: dense.activation, useBias: dense.useBias) }
        if let dropout = layer as? Dropout { return try Dropout(rate: dropout.rate) }
        throw TrainingError.invalidArgument(parameter: "layer", value: layer.typeName, reason: "not copied by this test")
    }

    /// Inference folds a linear convolution's batch normalisation into its
    /// kernel and bias: the same outputs as the two layers run one by one.
    @Test func foldedBatchNormalizationMatchesTheLayers() throws {
        let model = try Sequential(inputShape: [5, 5, 3], seed: 6, layers: [
            Conv2D(filters: 4, kernelSize: (3, 3), padding: .same), BatchNormalization(),
            Activation(.relu), Flatten(), Dense(units: 2),
        ])
        let statistics = model.layers[1].parameters
        for (index, parameter) in statistics.enumerated() {
            let values = GradientCheck.values(4, key: 30 + UInt64(index)).map { index == 3 ? $0 + 1.5 : $0 }
            parameter.value.pointer.update(from: values, count: 4)
        }
        let x = Tensor(shape: [3, 5, 5, 3], scalars: GradientCheck.values(225, key: 40))
        let folded = try model.predict(x)
        let separate: [Float] = x.withUnsafeBufferPointer { px in
            var y = px.baseAddress!
            for layer in model.layers { y = layer.forward([y], batch: 3, context: ForwardContext(training: false)) }
            return Array(UnsafeBufferPointer(start: y, count: 6))
        }
        for (a, b) in zip(folded.scalars, separate) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
        #expect(folded.scalars != (try Sequential(inputShape: [5, 5, 3], seed: 6, layers: [
            Conv2D(filters: 4, kernelSize: (3, 3), padding: .same), BatchNormalization(),
            Activation(.relu), Flatten(), Dense(units: 2)]).predict(x).scalars))
    }

    /// Inference takes activations from an arena planned by liveness: a
    /// 30-layer chain holds at most three buffers at once, and computes what
    /// the training pass (every layer its own buffer) computes.
    @Test func inferenceHoldsOnlyLiveActivations() throws {
        var layers: [any Layer] = []
        for _ in 0..<15 {
            layers += [try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same), try Activation(.tanh)]
        }
        let model = try Sequential(inputShape: [6, 6, 2], seed: 3, layers: layers)
        #expect(model.layers.count == 30)
        let x = Tensor(shape: [2, 6, 6, 2], scalars: GradientCheck.values(144, key: 12))
        let inferred = try model.predict(x).scalars
        #expect(model.arena.peakLent >= 2 && model.arena.peakLent <= 3, "\(model.arena.peakLent) buffers")
        let (outputs, _) = try model.forward([x], context: ForwardContext(training: true))
        #expect(Array(UnsafeBufferPointer(start: outputs[0], count: inferred.count)) == inferred)
        // A residual graph and a nested model under the arena give the training pass's values too.
        let residual = try residualModel()
        let nested = try Sequential(inputShape: [4, 4, 2], layers: [residual])
        let y = Tensor(shape: [2, 4, 4, 2], scalars: GradientCheck.values(64, key: 13))
        let plain = try residual.forward([y], context: ForwardContext(training: true)).outputs[0]
        let expected = Array(UnsafeBufferPointer(start: plain, count: 6))
        #expect(try residual.predict(y).scalars == expected)
        #expect(try nested.predict(y).scalars == expected)
    }

    /// Passes repeat their takes and releases, and the arena repeats its
    /// choices: the second pass grows no buffer, and from then on each take
    /// gets the same buffer in every pass.
    /// (On this sequence, choosing by best fit alone grows two buffers again in
    /// the second pass, as the first pass's growth changed which fits best.)
    @Test func arenaReplaysThePreviousPass() {
        let arena = ActivationArena()
        func pass() -> [UnsafeMutablePointer<Float>] {
            arena.reset()
            var taken = [UnsafeMutablePointer<Float>]()
            for (take, release) in [(6, 0), (5, nil), (6, nil), (6, 1), (8, 2), (9, nil), (8, nil)] as [(Int, Int?)] {
                taken.append(arena.take(take))
                if let release { arena.release(taken[release]) }
            }
            return taken
        }
        _ = pass()
        let grown = arena.growths
        #expect(grown > 0)
        let second = pass()
        #expect(arena.growths == grown)
        #expect(pass() == second)
    }

    @Test func graphErrorsNameTheProblem() throws {
        let input = try Input(shape: [4, 4, 2])
        let conv = try Conv2D(filters: 3, kernelSize: (1, 1))
        let once = try conv(input)
        #expect { _ = try conv(once) } throws: { "\($0)".contains("shapes of its first call, [[4, 4, 2]]") }
        let other = try Input(shape: [4, 4, 3], name: "conv2d")
        #expect { _ = try Add()([once, other]) } throws: { "\($0)".contains("conv2d") && "\($0)".contains("unique") }
        let second = try input.graph.input(shape: [4, 4, 5])
        #expect { _ = try Add()([once, second]) } throws: { error in
            let text = "\(error)"
            return text.contains("add") && text.contains("[4, 4, 3]") && text.contains("[4, 4, 5]")
        }
        let joined = try Concatenate()([once, second])
        #expect { _ = try Model(inputs: input, outputs: joined) } throws: { "\($0)".contains("input_layer_1") }
        #expect(try Model(inputs: [input, second], outputs: [joined]).outputShape == [4, 4, 8])
        #expect { _ = try Dense(units: 2, name: "conv2d")(once) } throws: { "\($0)".contains("unique") }
    }

    /// Several inputs and outputs run through predict, one tensor per output.
    @Test func severalInputsAndOutputs() throws {
        let a = try Input(shape: [3], seed: 2)
        let b = try a.graph.input(shape: [3])
        let sum = try Add()([a, b])
        let product = try Multiply()([a, b])
        let model = try Model(inputs: [a, b], outputs: [sum, product])
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), y = Tensor(shape: [2, 3], scalars: [2, 2, 2, 1, 1, 1])
        let outputs = try model.predict([x, y])
        #expect(outputs[0].scalars == [3, 4, 5, 5, 6, 7])
        #expect(outputs[1].scalars == [2, 4, 6, 4, 5, 6])
    }

    @Test func functionalSummaryShowsConnections() throws {
        let model = try residualModel()
        let lines = model.summary().split(separator: "\n").map(String.init)
        let cells = lines.map { $0.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(cells.contains(["input_layer (InputLayer)", "(None, 4, 4, 2)", "0", "-"]))
        #expect(cells.contains { $0.first == "add (Add)" && $0.last == "conv2d[0][0]," })
        #expect(cells.contains { $0.first == "" && $0.last == "conv2d_1[0][0]" })
        // Keras 3 writes sizes below 1 KiB in bytes.
        #expect(lines.contains(" Total params: 162 (648.00 B)"))
        #expect(Model.counted(421_642) == "421,642 (1.61 MB)")
    }
}
