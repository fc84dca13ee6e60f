import Testing
@testable import Training

/// Arguments, shapes and random keys of the layers of issue 11.
@Suite struct NewLayerTests {
    static func parameter(of error: any Error) -> String? {
        if case let TrainingError.invalidArgument(parameter, _, _) = error { return parameter }
        return nil
    }

    /// Each bad argument is refused with an error naming it.
    @Test func badArgumentsNameTheParameter() {
        let cases: [(String, () throws -> Any)] = [
            ("max_value", { try ReLU(maxValue: -1) }),
            ("negative_slope", { try ReLU(negativeSlope: -0.1) }),
            ("threshold", { try ReLU(threshold: -1) }),
            ("alpha", { try Activation(.elu(alpha: -1)) }),
            ("scale", { try Rescaling(scale: .nan) }),
            ("variance", { try Normalization(mean: [0]) }),
            ("mean", { try Normalization(variance: [1]) }),
            ("variance", { try Normalization(mean: [0, 1], variance: [1]) }),
            ("variance", { try Normalization(mean: [0], variance: [-1]) }),
            ("target_shape", { try Reshape(targetShape: [-1, -1]) }),
            ("target_shape", { try Reshape(targetShape: [0, 2]) }),
            ("dims", { try Permute(dims: [0, 1]) }),
            ("dims", { try Permute(dims: [1, 1]) }),
            ("padding", { try ZeroPadding2D(padding: -1) }),
            ("cropping", { try Cropping2D(cropping: ((0, -1), (0, 0))) }),
            ("size", { try UpSampling2D(size: (0, 2)) }),
            ("rate", { try SpatialDropout2D(rate: 1) }),
        ]
        for (expected, make) in cases {
            #expect(throws: (any Error).self) { try make() }
            do { _ = try make() } catch { #expect(Self.parameter(of: error) == expected, "\(error)") }
        }
    }

    @Test func shapesThatDoNotFitAreRefused() throws {
        #expect(throws: TrainingError.self) { try Reshape(targetShape: [5, -1]).build(inputShape: [2, 3], seed: 0) }
        #expect(throws: TrainingError.self) { try Permute(dims: [2, 1]).build(inputShape: [2, 3, 4], seed: 0) }
        #expect(throws: TrainingError.self) { try Cropping2D(cropping: 2).build(inputShape: [4, 8, 1], seed: 0) }
        #expect(throws: TrainingError.self) { try Normalization(mean: [0, 0], variance: [1, 1]).build(inputShape: [4, 3], seed: 0) }
        let adapted = try Normalization()
        try adapted.adapt(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(throws: TrainingError.self) { try adapted.build(inputShape: [4], seed: 0) }
        #expect(throws: TrainingError.self) { try Normalization(mean: [0], variance: [1]).adapt(Tensor(shape: [1, 1], scalars: [0])) }
    }

    /// Keras builds weights only for a layer it adapts (or will adapt).
    @Test func normalizationWeights() throws {
        let given = try Normalization(mean: [0], variance: [1])
        _ = try given.build(inputShape: [2, 2, 3], seed: 0)
        #expect(given.parameters.isEmpty)
        let toAdapt = try Normalization()
        _ = try toAdapt.build(inputShape: [2, 2, 3], seed: 0)
        #expect(toAdapt.parameters.map(\.name) == ["mean", "variance", "count"])
        try toAdapt.adapt(Tensor(shape: [2, 3], scalars: [0, 2, 4, 2, 2, 8]))
        #expect(toAdapt.parameters[0].value.array(count: 3) == [1, 2, 6])
        #expect(toAdapt.parameters[1].value.array(count: 3) == [1, 0, 4])
    }

    @Test func outputShapes() throws {
        #expect(try Reshape(targetShape: [4, -1]).build(inputShape: [2, 3, 2], seed: 0) == [4, 3])
        #expect(try Permute(dims: [2, 3, 1]).build(inputShape: [2, 3, 4], seed: 0) == [3, 4, 2])
        #expect(try ZeroPadding2D().build(inputShape: [2, 3, 4], seed: 0) == [4, 5, 4])
        #expect(try ZeroPadding2D(padding: (2, 0)).build(inputShape: [2, 3, 4], seed: 0) == [6, 3, 4])
        #expect(try Cropping2D(cropping: (1, 0)).build(inputShape: [4, 3, 1], seed: 0) == [2, 3, 1])
        #expect(try UpSampling2D().build(inputShape: [2, 3, 1], seed: 0) == [4, 6, 1])
        #expect(try GlobalMaxPooling2D(keepdims: true).build(inputShape: [2, 3, 5], seed: 0) == [1, 1, 5])
        #expect(try GlobalAveragePooling2D().build(inputShape: [2, 3, 5], seed: 0) == [5])
    }

    /// Whole channels are dropped, kept ones scaled by 1/(1 − rate), and a
    /// sample's mask depends on its position in the epoch, not its batch.
    @Test func spatialDropoutMasksChannelsBySamplePosition() throws {
        let (pixels, channels) = (6, 8)
        func run(batch: Int, offset: Int, epoch: Int = 0) throws -> [Float] {
            let layer = try SpatialDropout2D(rate: 0.5)
            _ = try layer.build(inputShape: [2, 3, channels], seed: 0)
            let x = [Float](repeating: 1, count: batch * pixels * channels)
            let context = ForwardContext(training: true, seed: 11, epoch: epoch, sampleOffset: offset, streamKey: 5)
            return x.withUnsafeBufferPointer {
                Array(UnsafeBufferPointer(start: layer.forward($0.baseAddress!, batch: batch, context: context), count: x.count))
            }
        }
        let whole = try run(batch: 4, offset: 0)
        #expect(Set(whole) == [0, 2])
        for n in 0..<4 {
            for c in 0..<channels {
                let values = (0..<pixels).map { whole[(n * pixels + $0) * channels + c] }
                #expect(Set(values).count == 1, "sample \(n) channel \(c) mixes kept and dropped pixels")
            }
        }
        #expect(try run(batch: 2, offset: 2) == Array(whole[(2 * pixels * channels)...]))
        #expect(try run(batch: 4, offset: 0, epoch: 1) != whole)
    }

    @Test func activationNamesAreKeras() {
        #expect(ActivationFunction.swish == .silu && ActivationFunction.hardSwish == .hardSilu)
        let names = [ActivationFunction.relu6, .elu(), .selu, .softplus, .hardSigmoid, .silu, .hardSilu, .gelu()].map(\.name)
        #expect(names == ["relu6", "elu", "selu", "softplus", "hard_sigmoid", "silu", "hard_silu", "gelu"])
    }
}
