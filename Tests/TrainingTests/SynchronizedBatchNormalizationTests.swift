import Foundation
import Testing
@testable import Training

/// Synchronised batch normalisation without MPI: ranks simulated by threads
/// (``InProcessGroup``), each with its part of a batch, against one process
/// with the whole batch. The sums over ranks must give the whole batch's
/// outputs, gradients and moving statistics; without synchronisation they must not.
@Suite struct SynchronizedBatchNormalizationTests {
    /// What one BatchNormalization layer computed on (part of) a batch.
    struct LayerPass: Sendable {
        var output: [Float], inputGradient: [Float], gamma: [Float], beta: [Float]
        var movingMean: [Float], movingVariance: [Float]
    }

    static let shape = [2, 2, 3]
    static let sampleSize = 12

    /// Inputs far from zero mean (5 ± 2, per channel offsets), so that the
    /// global variance from sums of squares is a real test of precision.
    static func values(count: Int, key: UInt64, offset: Float) -> [Float] {
        (0..<count).map { offset + Float($0 % 3) + 4 * (CounterRandom.uniform(key: CounterRandom.key([key]), counter: UInt64($0)) - 0.5) }
    }

    /// One forward and backward pass of a fresh layer on `samples`
    /// (`range` of the whole batch), synchronised over `member` when given.
    static func pass(_ range: Range<Int>, member: InProcessGroup.Member?) throws -> LayerPass {
        let layer = try BatchNormalization(momentum: 0.9, synchronized: member != nil)
        _ = try layer.build(inputShape: shape, seed: 0)
        layer.parameters[0].value.pointer.update(from: [1.5, 0.5, -1], count: 3)
        layer.parameters[1].value.pointer.update(from: [0.1, -0.2, 0.3], count: 3)
        let all = values(count: 6 * sampleSize, key: 1, offset: 5), gradients = values(count: 6 * sampleSize, key: 2, offset: 0)
        let slice = (range.lowerBound * sampleSize)..<(range.upperBound * sampleSize)
        var context = ForwardContext(training: true)
        context.batchStatistics = member.map { BatchStatisticsSync(reducer: $0, contributes: true) }
        let count = slice.count
        // The layer reads its input again in the backward pass: it stays alive across both.
        let input = Array(all[slice])
        let (output, inputGradient) = input.withUnsafeBufferPointer { x in
            let output = Array(UnsafeBufferPointer(start: layer.forward(x.baseAddress!, batch: range.count, context: context),
                                                   count: count))
            let inputGradient = Array(gradients[slice]).withUnsafeBufferPointer {
                Array(UnsafeBufferPointer(start: layer.backward($0.baseAddress!, batch: range.count, needsInputGradient: true)!,
                                          count: count))
            }
            return (output, inputGradient)
        }
        try context.batchStatistics?.check()
        func read(_ index: Int, gradient: Bool = false) -> [Float] {
            let buffer = gradient ? layer.parameters[index].gradient : layer.parameters[index].value
            return Array(UnsafeBufferPointer(start: buffer.pointer, count: 3))
        }
        return LayerPass(output: output, inputGradient: inputGradient, gamma: read(0, gradient: true), beta: read(1, gradient: true),
                         movingMean: read(2), movingVariance: read(3))
    }

    /// The passes of ranks that split 6 samples as `split`.
    static func ranks(_ split: [Int], synchronized: Bool) throws -> [LayerPass] {
        let group = InProcessGroup(size: split.count)
        let starts = split.indices.map { split[..<$0].reduce(0, +) }
        return try group.run { rank in
            try pass(starts[rank]..<(starts[rank] + split[rank]), member: synchronized ? group.members[rank] : nil)
        }
    }

    /// The largest |a − b| over the largest |b| (at least `floor`): 0 for equal arrays, infinite for different counts.
    static func difference(_ a: [Float], _ b: [Float], floor: Float = 1e-6) -> Float {
        guard a.count == b.count else { return .infinity }
        let scale = max(b.map(abs).max() ?? 0, floor)
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        difference(a, b) <= tolerance
    }

    @Test(arguments: [[3, 3], [4, 2], [1, 5], [2, 2, 2]])
    func ranksTogetherComputeTheWholeBatch(split: [Int]) throws {
        let whole = try Self.pass(0..<6, member: nil)
        let parts = try Self.ranks(split, synchronized: true)
        #expect(Self.close(parts.flatMap(\.output), whole.output))
        #expect(Self.close(parts.flatMap(\.inputGradient), whole.inputGradient))
        // Each rank's parameter gradients are its share; the gradient reducer sums them.
        #expect(Self.close((0..<3).map { c in parts.map { $0.gamma[c] }.reduce(0, +) }, whole.gamma))
        #expect(Self.close((0..<3).map { c in parts.map { $0.beta[c] }.reduce(0, +) }, whole.beta))
        for part in parts {
            #expect(Self.close(part.movingMean, whole.movingMean))
            #expect(Self.close(part.movingVariance, whole.movingVariance))
            #expect(part.movingMean == parts[0].movingMean && part.movingVariance == parts[0].movingVariance)
        }
    }

    @Test func ranksOnTheirOwnDoNot() throws {
        let whole = try Self.pass(0..<6, member: nil)
        let parts = try Self.ranks([3, 3], synchronized: false)
        #expect(!Self.close(parts.flatMap(\.output), whole.output, tolerance: 1e-3))
        #expect(!Self.close(parts[0].movingMean, whole.movingMean, tolerance: 1e-3))
        #expect(!Self.close(parts.flatMap(\.inputGradient), whole.inputGradient, tolerance: 1e-3))
    }

    // MARK: Training steps

    /// Convolution (linear) → batch normalisation → ReLU → dense: the
    /// convolution and normalisation form the pair the graph engine folds
    /// when the normalisation uses its moving statistics.
    static func model() throws -> Sequential {
        try Sequential(inputShape: [8, 8, 1], seed: 7, layers: [
            Conv2D(filters: 4, kernelSize: (3, 3)),
            BatchNormalization(momentum: 0.8),
            Activation(.relu),
            Flatten(),
            Dense(units: 2, activation: .softmax),
        ])
    }

    /// The weights (moving statistics included) after three SGD steps on the
    /// same 8 samples, the global batch split over ranks as `split`.
    static func train(_ split: [Int], synchronized: Bool, frozenBase: Bool = false) throws
        -> (weights: [[[Float]]], collectives: Int) {
        let data = Synthetic.halves(count: 8, seed: 4)
        let group = InProcessGroup(size: split.count)
        let starts = split.indices.map { split[..<$0].reduce(0, +) }
        let weights = try group.run { rank in
            let model = try model()
            for layer in model.layers[0...1] { layer.trainable = !frozenBase }
            model.synchronizeBatchNormalization(synchronized)
            model.compile(optimizer: try SGD(learningRate: 0.5), loss: CategoricalCrossentropy())
            model.trainer!.reducer = group.members[rank]
            let part = starts[rank]..<(starts[rank] + split[rank])
            let batch = Batch(inputs: data.x.slicing(part), targets: data.y.slicing(part))
            for _ in 0..<3 { try model.trainStep(batch, sampleOffset: part.lowerBound) }
            return model.weightValues()
        }
        return (weights, group.collectives)
    }

    /// The largest ``difference(_:_:floor:)`` of the models' weight tensors,
    /// each relative to its largest value but at least 0.1: the convolution's
    /// bias before the normalisation has a true gradient of zero, so its
    /// values are rounding noise of about 1e-7.
    static func difference(_ a: [[Float]], _ b: [[Float]]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { difference($0, $1, floor: 0.1) }.max() ?? 0
    }

    /// Even, uneven and empty shares (an empty share runs a placeholder sample that adds nothing).
    @Test(arguments: [[4, 4], [5, 3], [8, 0], [0, 8], [3, 0, 5]])
    func synchronizedRanksTrainAsOneProcess(split: [Int]) throws {
        let one = try Self.train([8], synchronized: false).weights[0]
        let (ranks, collectives) = try Self.train(split, synchronized: true)
        for (rank, weights) in ranks.enumerated() {
            let difference = Self.difference(weights, one)
            #expect(difference <= 1e-5, "rank \(rank) of \(split): weights differ by \(difference) relative")
            #expect(weights == ranks[0], "rank \(rank) of \(split) disagrees with rank 0")
        }
        // Per step: the agreement, the normalisation's forward and backward sums, the gradients.
        #expect(collectives == 3 * 4)
    }

    @Test func unsynchronizedRanksDoNot() throws {
        let one = try Self.train([8], synchronized: false).weights[0]
        let (ranks, collectives) = try Self.train([4, 4], synchronized: false)
        let difference = Self.difference(ranks[0], one)
        #expect(difference > 1e-3, "weights differ by only \(difference) relative")
        #expect(ranks[0] != ranks[1], "per-rank moving statistics")
        #expect(collectives == 3 * 2)
    }

    /// A frozen normalisation uses its moving statistics (and, with its
    /// convolution frozen too, is folded into it): nothing to synchronise, so no sums.
    @Test func aFrozenBaseSumsNothing() throws {
        let one = try Self.train([8], synchronized: false, frozenBase: true).weights[0]
        let (ranks, collectives) = try Self.train([4, 4], synchronized: true, frozenBase: true)
        let difference = Self.difference(ranks[0], one)
        #expect(difference <= 1e-5 && ranks[0] == ranks[1], "weights differ by \(difference) relative")
        #expect(collectives == 3 * 2)
    }

    @Test func nestedModelsAreSynchronizedToo() throws {
        let input = try Input(shape: [8, 8, 1], seed: 1)
        let inner = try Self.model()
        let outer = try Model(inputs: input, outputs: try BatchNormalization()(try inner(input)))
        #expect(outer.synchronizeBatchNormalization() == 2)
        #expect(outer.batchNormalizationLayers.filter(\.synchronized).count == 2)
        #expect(outer.synchronizeBatchNormalization(false) == 2)
        #expect(!outer.hasSynchronizedBatchStatistics)
    }

    /// A collective that fails inside a layer's pass (which cannot throw) is
    /// thrown by the step, as the reducer's own error.
    @Test func aFailedSumIsThrownByTheStep() throws {
        struct Broken: Error, Equatable {}
        /// Rank 0 of two whose peer is always ready with nothing; the `failing`-th sum fails.
        final class FailingReducer: GradientReducer {
            let failing: Int
            var sums = 0
            init(failing: Int) { self.failing = failing }
            var rank: Int { 0 }
            var processCount: Int { 2 }
            func gradientsReady(_ parameters: [Parameter]) {}
            func reduce(_ parameters: [Parameter]) throws {}
            func sum(_ values: inout [Double]) throws {
                sums += 1
                if sums == failing { throw Broken() }
            }
            func broadcast(_ values: inout [Double]) throws {}
            func broadcast(_ parameters: [Parameter]) throws {}
        }
        let data = Synthetic.halves(count: 4, seed: 4)
        for failing in [2, 3] {  // the forward's sum, the backward's
            let model = try Self.model()
            model.synchronizeBatchNormalization()
            model.compile(optimizer: try SGD(), loss: CategoricalCrossentropy())
            let reducer = FailingReducer(failing: failing)
            model.trainer!.reducer = reducer
            #expect(throws: Broken()) { try model.trainStep(Batch(inputs: data.x, targets: data.y)) }
            #expect(reducer.sums == failing, "no sum after the failed one")
        }
    }
}
