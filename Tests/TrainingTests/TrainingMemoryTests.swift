import Foundation
import Testing
@testable import Training

/// Training keeps only the activations a backward pass reads
/// (``TrainingLiveness``): the others come from the backward pass's arena
/// and go back after their last forward reader. Checked against the plain
/// path, which keeps every activation in its layer's buffer.
@Suite struct TrainingMemoryTests {
    /// A ResNet-like and MobileNet-like mixture: padding → conv → BN → ReLU6,
    /// padding → max pooling, conv → BN → ReLU, conv → BN → add → ReLU,
    /// depthwise → BN → ReLU, then global pooling and a softmax head.
    func mixedModel() throws -> Model {
        let input = try Input(shape: [8, 8, 3], seed: 11)
        var x = try ZeroPadding2D(padding: 1, name: "pad1")(input)
        x = try Conv2D(filters: 8, kernelSize: (3, 3), name: "conv1")(x)
        x = try ReLU(maxValue: 6, name: "relu1")(try BatchNormalization(name: "bn1")(x))
        x = try ZeroPadding2D(padding: 1, name: "pad2")(x)
        let pooled = try MaxPooling2D(poolSize: (3, 3), strides: (2, 2), name: "pool")(x)
        x = try Conv2D(filters: 8, kernelSize: (1, 1), name: "conv2")(pooled)
        x = try Activation(.relu, name: "relu2")(try BatchNormalization(name: "bn2")(x))
        x = try Conv2D(filters: 8, kernelSize: (3, 3), padding: .same, name: "conv3")(x)
        x = try Add(name: "add")([try BatchNormalization(name: "bn3")(x), pooled])
        x = try Activation(.relu, name: "relu3")(x)
        x = try DepthwiseConv2D(kernelSize: (3, 3), padding: .same, name: "dw")(x)
        x = try ReLU(name: "relu4")(try BatchNormalization(name: "bn4")(x))
        let head = try Dense(units: 3, activation: .softmax, name: "head")(try GlobalAveragePooling2D(name: "gap")(x))
        return try Model(inputs: input, outputs: head)
    }

    func batch() -> Batch {
        let k = CounterRandom.key([17])
        return Batch(inputs: Tensor(shape: [4, 8, 8, 3], scalars: (0..<768).map { 4 * CounterRandom.uniform(key: k, counter: UInt64($0)) - 2 }),
                     targets: Tensor(shape: [4, 3], scalars: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]))
    }

    /// The outputs no backward pass reads: the normalisations read only by a
    /// ReLU or the add, the padding read by the pooling, the sum itself.
    @Test func theOutputsNoBackwardReadsAreTransient() throws {
        let model = try mixedModel()
        let graph = model.graph
        let transient = TrainingLiveness.transientOutputs(of: graph, requires: graph.requiresGradient(inputsNeedGradient: false))
        let names = Set(graph.nodes.indices.filter { transient[$0] }.map { graph.nodes[$0].name })
        #expect(names == ["bn1", "pad2", "bn2", "bn3", "add", "bn4"])
        // Nothing needs a gradient: no backward pass runs, every layer's output may go.
        let none = TrainingLiveness.transientOutputs(of: graph, requires: .init(repeating: false, count: graph.nodes.count))
        #expect(graph.nodes.indices.filter { none[$0] }.count == graph.nodes.count - 3)  // not the input, gap, head
    }

    /// Three Adam steps on the transient path and on the plain path give the
    /// same losses, the same gradients and the same weights, bit for bit.
    @Test func transientActivationsGiveBitIdenticalGradients() throws {
        let lean = try mixedModel(), plain = try mixedModel()
        plain.runner.keepsEveryActivation = true
        for model in [lean, plain] { model.compile(optimizer: try Adam(learningRate: 0.05), loss: CategoricalCrossentropy()) }
        let batch = batch()
        for step in 0..<3 {
            let a = try lean.trainStep(batch), b = try plain.trainStep(batch)
            #expect(a == b, "step \(step)")
            for (p, q) in zip(lean.parameters, plain.parameters) where p.isTrainable {
                #expect(p.gradient.array(count: p.count) == q.gradient.array(count: q.count), "step \(step): \(p.name)")
            }
        }
        for (p, q) in zip(lean.parameters, plain.parameters) {
            #expect(p.value.array(count: p.count) == q.value.array(count: q.count), "\(p.name)")
        }
        #expect(lean.runner.gradientArena.peakLent > 0)
    }

    /// conv → BN → ReLU twice at batch 2 (each activation 512 values): the
    /// normalisations' outputs live in the arena the backward pass needs
    /// anyway, so the whole step's arena is the two gradient buffers in
    /// flight, 2 × 512 Floats, with or without the transient outputs.
    @Test func aSmallChainsArenaHoldsTwoActivations() throws {
        func chain() throws -> Sequential {
            try Sequential(inputShape: [8, 8, 2], seed: 4, layers: [
                Conv2D(filters: 4, kernelSize: (3, 3), padding: .same), BatchNormalization(), ReLU(),
                Conv2D(filters: 4, kernelSize: (3, 3), padding: .same), BatchNormalization(), ReLU(),
                GlobalAveragePooling2D(), Dense(units: 3, activation: .softmax),
            ])
        }
        let lean = try chain(), plain = try chain()
        plain.runner.keepsEveryActivation = true
        let batch = ModelGradientCheck.batch(shape: [8, 8, 2], classes: 3)
        for model in [lean, plain] {
            model.compile(optimizer: try SGD(learningRate: 0.1), loss: CategoricalCrossentropy())
            for _ in 0..<2 { _ = try model.trainStep(batch) }
            #expect(model.runner.gradientArena.bytes == 2 * 512 * MemoryLayout<Float>.size)
        }
        let transient = TrainingLiveness.transientOutputs(of: lean.graph, requires: lean.graph.requiresGradient(inputsNeedGradient: false))
        #expect(transient.filter { $0 }.count == 2)  // the two normalisations
    }

    /// A ReLU's mask from its output is its mask from its input, bit for bit,
    /// at the edges too (exactly 0, the threshold, the maximum, ±∞, NaN).
    @Test func reluMaskFromItsOutputMatchesItsInput() throws {
        let x: [Float] = [-3, -0.0, 0, 1e-30, 0.25, 0.5, 0.75, 1, 5.5, 6, 6.5, 1e30, .infinity, -.infinity, .nan, -2.5]
        let dy: [Float] = x.indices.map { Float($0) * 0.37 - 2.9 }
        for (maxValue, slope, threshold) in [(nil, 0, 0), (6, 0, 0), (6, 0.1, 0), (nil, 0.2, 0.5), (6, 0, 6), (0, 0, 0)]
            as [(Float?, Float, Float)] {
            let relu = try ReLU(maxValue: maxValue, negativeSlope: slope, threshold: threshold)
            _ = try relu.build(inputShape: [x.count], seed: 0)
            #expect(relu.masksFromOutput == ((maxValue ?? .infinity) > threshold))
            let fromLayer: [Float] = x.withUnsafeBufferPointer { px in
                _ = relu.forward(px.baseAddress!, batch: 1, context: ForwardContext(training: true))
                let dx = dy.withUnsafeBufferPointer { relu.backward($0.baseAddress!, batch: 1, needsInputGradient: true)! }
                return Array(UnsafeBufferPointer(start: dx, count: x.count))
            }
            var fromInput = [Float](repeating: 0, count: x.count)
            NormalizationKernels.clampGradient(x, gradOutput: dy, into: &fromInput, count: x.count, threshold: threshold,
                                               top: maxValue ?? .infinity, slope: slope)
            #expect(fromLayer.map(\.bitPattern) == fromInput.map(\.bitPattern), "\(String(describing: maxValue)), \(slope), \(threshold)")
        }
    }
}
