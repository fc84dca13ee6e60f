import Foundation
import Testing
@testable import Training

/// The fused chains of the graph engine: a convolution + batch normalisation
/// (+ add + ReLU/ReLU6) folded into one convolution for inference, and a
/// ResNet block's convolution + add + ReLU as one convolution with post-ops in
/// training, each against the same model with the fusion broken (an
/// `Identity` between convolution and normalisation, a leaky ReLU of slope 0
/// instead of ReLU), which runs every layer on its own.
@Suite struct GraphChainFusionTests {
    /// conv → BN → add → ReLU6 and depthwise → BN → ReLU, or with the fusions broken.
    func normalizedModel(fused: Bool) throws -> Model {
        func gap(_ x: SymbolicTensor, _ name: String) throws -> SymbolicTensor {
            fused ? x : try Identity(name: name)(x)
        }
        let input = try Input(shape: [6, 6, 4], seed: 5)
        let stem = try Conv2D(filters: 8, kernelSize: (3, 3), padding: .same, activation: .relu, name: "stem")(input)
        var x = try Conv2D(filters: 8, kernelSize: (3, 3), padding: .same, name: "conv")(stem)
        x = try BatchNormalization(name: "bn")(try gap(x, "gap1"))
        x = try Add(name: "add")([stem, x])
        let relu6: any Layer = fused ? try ReLU(maxValue: 6, name: "relu6") : try Activation(.relu6, name: "relu6")
        x = try relu6(x)
        x = try DepthwiseConv2D(kernelSize: (3, 3), strides: (2, 2), padding: .same, useBias: false, name: "dw")(x)
        x = try BatchNormalization(name: "bn2")(try gap(x, "gap2"))
        x = try ReLU(name: "relu")(x)
        return try Model(inputs: input, outputs: try GlobalAveragePooling2D()(x))
    }

    /// Gives every batch normalisation of both models the same varied statistics.
    func setStatistics(_ models: [Model]) {
        for model in models {
            for layer in model.layers where layer is BatchNormalization {
                for (index, parameter) in layer.parameters.enumerated() {
                    parameter.assign((0..<parameter.count).map { Float(index + 1) * 0.3 + Float(($0 * 7) % 5) * 0.11 })
                }
            }
        }
    }

    func images(_ count: Int, shape: [Int], key: UInt64) -> Tensor {
        let n = count * shape.reduce(1, *)
        let k = CounterRandom.key([key])
        return Tensor(shape: [count] + shape, scalars: (0..<n).map { 4 * CounterRandom.uniform(key: k, counter: UInt64($0)) - 2 })
    }

    @Test func foldedChainsMatchLayerByLayer() throws {
        let fused = try normalizedModel(fused: true), plain = try normalizedModel(fused: false)
        setStatistics([fused, plain])
        let steps = GraphFusion.steps(of: fused.graph, pooling: { _, _ in nil }, folding: { chain in
            ConvolutionBatchNormalization(fused.graph.nodes[chain.convolution].layer as! any FoldableConvolution,
                                          fused.graph.nodes[chain.normalization].layer as! BatchNormalization,
                                          activation: chain.activation?.function ?? .none, addsResidual: chain.add != nil)
        }, residual: { _ in nil })
        let chains = steps.compactMap { step -> [Int]? in
            if case let .foldedChain(_, chain) = step { return chain.nodes } else { return nil }
        }
        #expect(chains.map(\.count) == [4, 3])  // conv, bn, add, relu6; dw, bn2, relu
        let x = images(3, shape: [6, 6, 4], key: 9)
        let a = try fused.predict(x), b = try plain.predict(x)
        let scale = b.scalars.map(abs).max()!
        #expect(scale > 0.1)
        #expect(zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= 1e-5 * scale })
        // New weights are folded again at the next pass.
        for model in [fused, plain] {
            let kernel = model.layers.first { $0.name == "conv" }!.parameters[0]
            kernel.assign((0..<kernel.count).map { Float($0 % 9) * 0.05 - 0.2 })
        }
        let c = try fused.predict(x), d = try plain.predict(x)
        #expect(c.scalars != a.scalars)
        #expect(zip(c.scalars, d.scalars).allSatisfy { abs($0 - $1) <= 1e-5 * scale })
    }

    /// Two basic blocks (identity shortcut, then projection shortcut), with
    /// ReLU or a leaky ReLU of slope 0 (equal values, never fused).
    func residualModel(fused: Bool) throws -> Model {
        let input = try Input(shape: [6, 6, 2], seed: 11)
        var x = try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu, name: "stem")(input)
        for (block, stride) in [(1, 1), (2, 2)] {
            let h = try Conv2D(filters: 4, kernelSize: (3, 3), strides: (stride, stride), padding: .same,
                               activation: .relu, name: "c\(block)")(x)
            let y = try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, name: "d\(block)")(h)
            let shortcut = stride == 1 ? x : try Conv2D(filters: 4, kernelSize: (1, 1), strides: (2, 2), name: "s\(block)")(x)
            let sum = try Add(name: "add\(block)")([shortcut, y])
            x = try Activation(fused ? .relu : .leakyRelu(alpha: 0), name: "out\(block)")(sum)
        }
        let output = try Dense(units: 3, activation: .softmax, name: "head")(try GlobalAveragePooling2D()(x))
        return try Model(inputs: input, outputs: output)
    }

    @Test func residualChainTrainsLikeLayerByLayer() throws {
        let fused = try residualModel(fused: true), plain = try residualModel(fused: false)
        let steps = GraphFusion.steps(of: fused.graph, pooling: { _, _ in nil }, folding: { _ in nil },
                                      residual: { ConvolutionResidual(fused.graph.nodes[$0.convolution].layer as! Conv2D) })
        #expect(steps.filter { if case .residualChain = $0 { true } else { false } }.count == 2)
        let batch = ModelGradientCheck.batch(shape: [6, 6, 2], classes: 3)
        for model in [fused, plain] { model.compile(optimizer: try Adam(learningRate: 0.05), loss: CategoricalCrossentropy()) }
        for _ in 0..<3 {
            let a = try fused.trainStep(batch), b = try plain.trainStep(batch)
            #expect(abs(a.loss - b.loss) <= 1e-5 * max(abs(b.loss), 1))
        }
        for (p, q) in zip(fused.parameters, plain.parameters) {
            let a = p.value.array(count: p.count), b = q.value.array(count: q.count)
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 }, "\(p.name)")
        }
        let x = images(2, shape: [6, 6, 2], key: 4)
        let a = try fused.predict(x), b = try plain.predict(x)
        #expect(zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= 1e-5 })
    }

    /// One backward pass: every parameter gradient of the fused model equals
    /// the layer-by-layer model's (whose layers have finite-difference checks
    /// of their own; finite differences of this ReLU-rich model itself are
    /// spoiled by pre-activations that sit within a step of a kink).
    @Test func residualChainGradientsMatchLayerByLayer() throws {
        let fused = try residualModel(fused: true), plain = try residualModel(fused: false)
        let batch = ModelGradientCheck.batch(shape: [6, 6, 2], classes: 3)
        for model in [fused, plain] {
            for parameter in model.parameters where parameter.name == "bias" {
                parameter.assign((0..<parameter.count).map { 0.05 + 0.03 * Float($0) })
            }
            model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
            _ = try model.trainer!.lossAndMetrics(batch, context: ForwardContext(training: true), backward: true)
        }
        for (p, q) in zip(fused.trainableParameters, plain.trainableParameters) {
            let a = p.gradient.array(count: p.count), b = q.gradient.array(count: q.count)
            #expect(a.contains { $0 != 0 })
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * max(abs($1), 1) }, "\(p.name)")
        }
    }

    /// A frozen 20-layer chain (conv → tanh, ten times) under `head`, after
    /// one SGD step; the model's training output on the batch equals its prediction.
    func trainedFrozenBase(head: [any Layer]) throws -> (model: Sequential, base: Sequential) {
        var layers: [any Layer] = []
        for index in 0..<10 {
            layers += [try Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, name: "c\(index)"),
                       try Activation(.tanh, name: "t\(index)")]
        }
        let base = try Sequential(inputShape: [6, 6, 2], seed: 3, name: "base", layers: layers)
        base.trainable = false
        let model = try Sequential(inputShape: [6, 6, 2], seed: 3, layers: [base] + head)
        model.compile(optimizer: try SGD(learningRate: 0.5), loss: CategoricalCrossentropy())
        let batch = ModelGradientCheck.batch(shape: [6, 6, 2], classes: 3)
        let dense = model.layers.last!
        let before = dense.parameters[0].value.array(count: dense.parameters[0].count)
        _ = try model.trainStep(batch)
        #expect(dense.parameters[0].value.array(count: dense.parameters[0].count) != before)
        let (outputs, _) = try model.forward([batch.inputs], context: ForwardContext(training: true))
        let trained = Array(UnsafeBufferPointer(start: outputs[0], count: 6))
        #expect(try model.predict(batch.inputs).scalars == trained)
        return (model, base)
    }

    /// A frozen base needs no backward work, so a training step takes its
    /// activations from an arena planned by liveness (a few buffers for a
    /// 20-layer chain: the outer model's, since nothing reads the base's output
    /// in backward either) and computes what inference computes.
    @Test func frozenBaseTrainsOnLiveActivationsOnly() throws {
        let (model, base) = try trainedFrozenBase(head: [
            GlobalAveragePooling2D(name: "gap"), try Dense(units: 3, activation: .softmax, name: "head")])
        let lent = model.runner.gradientArena.peakLent
        #expect(lent >= 2 && lent <= 4, "\(lent) buffers")
        #expect(base.runner.frozenArena.peakLent == 0)
    }

    /// The same frozen base under a head whose backward reads the base's
    /// output (Flatten → Dense): the output is kept, and the base takes its
    /// other activations from its own arena.
    @Test func frozenBaseUnderAReadingHeadUsesItsOwnArena() throws {
        let (_, base) = try trainedFrozenBase(head: [
            Flatten(name: "flat"), try Dense(units: 3, activation: .softmax, name: "head")])
        #expect(base.runner.frozenArena.peakLent >= 2 && base.runner.frozenArena.peakLent <= 3,
                "\(base.runner.frozenArena.peakLent) buffers")
    }

    @Test func normalizationKernelsMatchADoubleReference() {
        let rows = 257, channels = 19
        let x = (0..<(rows * channels)).map { Float(($0 * 37) % 101) * 0.07 - 3 + Float($0 % channels) }
        var mean = [Float](repeating: 0, count: channels), variance = mean
        NormalizationKernels.statistics(x, rows: rows, channels: channels, mean: &mean, variance: &variance)
        for c in 0..<channels {
            let column = (0..<rows).map { Double(x[$0 * channels + c]) }
            let m = column.reduce(0, +) / Double(rows)
            let v = column.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(rows)
            #expect(abs(Double(mean[c]) - m) <= 1e-5 * max(abs(m), 1))
            #expect(abs(Double(variance[c]) - v) <= 1e-5 * v)
        }
        var y = [Float](repeating: 0, count: x.count)
        NormalizationKernels.clamp(x, into: &y, count: x.count, threshold: 0.5, top: 4, slope: 0.1)
        #expect(y == x.map { $0 > 0.5 ? min($0, 4) : 0.1 * ($0 - 0.5) })
        let dy = x.map { $0 * 0.5 + 1 }
        NormalizationKernels.clampGradient(x, gradOutput: dy, into: &y, count: x.count, threshold: 0.5, top: 4, slope: 0.1)
        #expect(y == zip(x, dy).map { $0 > 0.5 ? ($0 < 4 ? $1 : 0) : $1 * 0.1 })
    }
}
