import Testing
import TestSupport
@testable import Training

/// A cross-entropy "from probabilities" after a softmax or sigmoid head is
/// computed from the head's logits, as Keras's TensorFlow backend does.
@Suite struct LogitsHeadTests {
    /// One sample x = (1, 0) through Dense(3, softmax) with logits (−20, 20, 0), true class 0.
    private func confidentlyWrongModel(loss: any Loss) throws -> (Sequential, Batch) {
        let model = try Sequential(inputShape: [2], layers: [Dense(units: 3, activation: .softmax, useBias: false)])
        model.parameters[0].value.pointer.update(from: [-20, 20, 0, 0, 0, 0], count: 6)
        model.compile(optimizer: try SGD(), loss: loss)
        let targets = loss is SparseCategoricalCrossentropy
            ? Tensor(shape: [1, 1], scalars: [0]) : Tensor(shape: [1, 3], scalars: [1, 0, 0])
        return (model, Batch(inputs: Tensor(shape: [1, 2], scalars: [1, 0]), targets: targets))
    }

    /// Clipping p₀ ≈ e⁻⁴⁰ to 1e-7 would give a loss of 16.1 and no gradient at all;
    /// from the logits the loss is logsumexp(z) − z₀ ≈ 40 and d/dz = p − t.
    @Test(arguments: [false, true])
    func confidentlyWrongSampleKeepsItsLossAndGradient(sparse: Bool) throws {
        let loss: any Loss = sparse ? SparseCategoricalCrossentropy() : CategoricalCrossentropy()
        let (model, batch) = try confidentlyWrongModel(loss: loss)
        let result = try model.trainer!.lossAndMetrics(batch, context: ForwardContext(training: true), backward: true)
        #expect(abs(result.loss - 40) < 1e-4)
        let kernelGradient = model.parameters[0].gradient.array(count: 6)
        let expected: [Float] = [-1, 1, 0, 0, 0, 0]
        for (a, e) in zip(kernelGradient, expected) { #expect(abs(a - e) < 1e-6) }
    }

    /// Without clipping in play, both forms give the same loss.
    @Test func logitsFormEqualsProbabilityFormAwayFromTheClip() throws {
        let model = try Sequential(inputShape: [4], seed: 3, layers: [Dense(units: 5, activation: .softmax)])
        model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
        let inputs = Tensor(shape: [3, 4], scalars: GradientCheck.values(12, key: 8))
        var targets = [Float](repeating: 0, count: 15)
        for (n, label) in [4, 0, 2].enumerated() { targets[n * 5 + label] = 1 }
        let batch = Batch(inputs: inputs, targets: Tensor(shape: [3, 5], scalars: targets))
        let fused = try model.trainer!.evaluate(batch).loss
        let probabilities = try model.predict(inputs)
        let plain = CategoricalCrossentropy().value(predictions: probabilities, targets: batch.targets)
        #expect(abs(fused - plain) < 1e-5)
    }

    /// Finite differences of the loss (itself from logits) against the fused
    /// backward pass, for each loss and head kind.
    @Test(arguments: ["softmax-dense", "softmax-activation", "sigmoid-dense"])
    func fusedBackwardMatchesFiniteDifferences(head: String) throws {
        let classes = 3, batchSize = 4
        var layers: [any Layer] = [try Dense(units: 4, activation: .tanh)]
        switch head {
        case "softmax-dense": layers.append(try Dense(units: classes, activation: .softmax))
        case "softmax-activation": layers += [try Dense(units: classes), try Activation(.softmax)]
        default: layers.append(try Dense(units: classes, activation: .sigmoid))
        }
        let model = try Sequential(inputShape: [5], seed: 11, layers: layers)
        let loss: any Loss
        switch head {
        case "softmax-activation": loss = SparseCategoricalCrossentropy()
        case "sigmoid-dense": loss = BinaryCrossentropy()
        default: loss = CategoricalCrossentropy()
        }
        model.compile(optimizer: try SGD(), loss: loss)
        #expect(loss.logitsForm(after: (model.layers.last as! any LogitsOutput).outputActivation) != nil)
        let labels = [2, 0, 1, 2]
        let targets: Tensor
        switch head {
        case "softmax-activation": targets = Tensor(shape: [batchSize, 1], scalars: labels.map(Float.init))
        case "sigmoid-dense": targets = Tensor(shape: [batchSize, classes], scalars: GradientCheck.values(12, key: 9).map { $0 > 0 ? 1 : 0 })
        default: targets = Tensor(shape: [batchSize, classes], scalars: (0..<12).map { $0 % classes == labels[$0 / classes] ? 1 : 0 })
        }
        // Large weights push some probabilities towards the clip, where the two forms differ.
        let batch = Batch(inputs: Tensor(shape: [batchSize, 5], scalars: GradientCheck.values(20, key: 10, scale: 3)),
                          targets: targets)
        #expect(model.head != nil)
        _ = try model.trainer!.lossAndMetrics(batch, context: ForwardContext(training: true), backward: true)
        let trainable = model.parameters.filter(\.isTrainable)
        let analytic = trainable.map { $0.gradient.array(count: $0.count) }
        for (p, parameter) in trainable.enumerated() {
            let w = parameter.value.pointer
            let mismatches = try GradientChecker().mismatches(
                analytic: analytic[p], read: { w[$0] }, write: { w[$0] = $1 },
                loss: { try model.trainer!.evaluate(batch).loss })
            #expect(mismatches.isEmpty, "\(head) \(parameter.name): \(mismatches)")
        }
    }

    /// Other pairings keep the loss as it is.
    @Test func onlyMatchingPairsUseLogits() {
        #expect(CategoricalCrossentropy().logitsForm(after: .sigmoid) == nil)
        #expect(CategoricalCrossentropy(fromLogits: true).logitsForm(after: .softmax) == nil)
        #expect(BinaryCrossentropy().logitsForm(after: .softmax) == nil)
        #expect(MeanSquaredError().logitsForm(after: .softmax) == nil)
        #expect(SparseCategoricalCrossentropy().logitsForm(after: .softmax) != nil)
    }
}
