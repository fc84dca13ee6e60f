import Testing
@testable import Training

@Suite struct SequentialTests {
    /// Sequential fuses a ReLU convolution's activation gradient into the
    /// max pooling above it (and, for few channels and filters a multiple of
    /// 16, the whole first pair: ConvolutionPooling); the gradients must equal
    /// the layer-by-layer pass.
    @Test(arguments: [(2, 3), (1, 16)])
    func fusedReLUPoolingBackwardMatchesLayerByLayer(channels: Int, filters: Int) throws {
        let model = try Sequential(inputShape: [6, 6, channels], seed: 4, layers: [
            Conv2D(filters: filters, kernelSize: (3, 3), padding: .same, activation: .relu),
            MaxPooling2D(), Flatten(), Dense(units: 2),
        ])
        let batch = 2
        let x = Tensor(shape: [batch, 6, 6, channels], scalars: GradientCheck.values(batch * 36 * channels, key: 5))
        let r = GradientCheck.values(batch * 2, key: 6)
        _ = try model.forward([x], context: ForwardContext(training: true))
        r.withUnsafeBufferPointer { model.backward($0.baseAddress!, batch: batch, throughLogits: false) }
        let fused = model.parameters.map { $0.gradient.array(count: $0.count) }
        x.withUnsafeBufferPointer {
            var y = $0.baseAddress!
            for layer in model.layers {
                y = layer.forward([y], batch: batch, context: ForwardContext(training: true))
            }
        }
        r.withUnsafeBufferPointer {
            var grad = $0.baseAddress!
            for layer in model.layers.reversed() { grad = layer.backward(grad, batch: batch, needsInputGradients: [true])[0]! }
        }
        let separate = model.parameters.map { $0.gradient.array(count: $0.count) }
        #expect(fused[0].contains { $0 != 0 })
        // The fused pair sums in another order than oneDNN.
        let tolerance: Float = ConvolutionPooling(model.layers[0] as! Conv2D, model.layers[1] as! MaxPooling2D) == nil ? 1e-6 : 1e-5
        for (a, b) in zip(fused.joined(), separate.joined()) { #expect(abs(a - b) <= tolerance * max(1, abs(b))) }
    }

    @Test func largeCourseModelCounts() throws {
        let model = try CourseModels.large()
        #expect(model.layers.map(\.parameterCount) == [320, 0, 18_496, 0, 0, 401_536, 1_290])
        #expect(model.parameterCount == 421_642)
        #expect(model.layers[4].outputShape == [3_136])
        let summary = model.summary()
        #expect(summary.contains("Total params: 421,642"))
        #expect(summary.contains("Trainable params: 421,642"))
        #expect(summary.contains("Non-trainable params: 0"))
        let lines = summary.split(separator: "\n").map(String.init)
        #expect(lines.contains("│ conv2d_1 (Conv2D)                    │ (None, 14, 14, 64)          │          18,496 │"))
        #expect(lines.contains("│ max_pooling2d_1 (MaxPooling2D)       │ (None, 7, 7, 64)            │               0 │"))
        #expect(lines.contains("│ dense (Dense)                        │ (None, 128)                 │         401,536 │"))
        #expect(lines.contains(" Total params: 421,642 (1.61 MB)"))
    }

    @Test func smallCourseModelCounts() throws {
        let model = try CourseModels.small()
        #expect(model.parameterCount == 93_322)
        #expect(model.layers.map(\.name) == ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2",
                                             "flatten", "dense", "dropout", "dense_1"])
        #expect(model.layers.map(\.outputShape) == [[26, 26, 32], [13, 13, 32], [11, 11, 64], [5, 5, 64], [3, 3, 64],
                                                    [576], [64], [64], [10]])
        #expect(model.summary().contains("Total params: 93,322"))
    }

    @Test func summaryCountsFrozenAndBatchNormAsNonTrainable() throws {
        let model = try Sequential(inputShape: [4, 4, 1], layers: [
            Conv2D(filters: 2, kernelSize: (3, 3)), BatchNormalization(), Flatten(), Dense(units: 3),
        ])
        model.layers[0].trainable = false
        #expect(model.parameterCount == 20 + 8 + 27)
        #expect(model.trainableParameterCount == 4 + 27)
        #expect(model.summary().contains("Non-trainable params: 24"))
    }

    @Test func badShapesAreTypedErrors() throws {
        #expect(throws: TrainingError.self) { try Sequential(inputShape: [4], layers: [Conv2D(filters: 1, kernelSize: (3, 3))]) }
        #expect(throws: TrainingError.self) { try Sequential(inputShape: [4, 4, 1], layers: [Dense(units: 2)]) }
        #expect(throws: TrainingError.self) { try Conv2D(filters: 0, kernelSize: (3, 3)) }
        #expect(throws: TrainingError.self) { try Dropout(rate: 1) }
        let model = try Sequential(inputShape: [3], layers: [Dense(units: 2)])
        #expect(throws: TrainingError.self) { try model.predict(Tensor(shape: [1, 4])) }
    }

    @Test func predictMatchesHandComputedDense() throws {
        let dense = try Dense(units: 2)
        let model = try Sequential(inputShape: [3], layers: [dense])
        dense.parameters[0].tensor = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        dense.parameters[1].tensor = Tensor(shape: [2], scalars: [0.5, -0.5])
        let y = try model.predict(Tensor(shape: [2, 3], scalars: [1, 0, 0, 1, 1, 1]))
        #expect(y.scalars == [1.5, 1.5, 9.5, 11.5])
    }

    @Test func predictSplitsLargeBatchesIntoCacheSizedPasses() throws {
        let small = try CourseModels.small(), large = try CourseModels.large()
        // Widest activations: 26·26·32 and 28·28·32 floats; 6 MB fits 72 and 62 samples.
        #expect(small.inferenceSubBatch(for: 256) == 64)
        #expect(large.inferenceSubBatch(for: 256) == 32)
        #expect(large.inferenceSubBatch(for: 40) == 40)
        #expect(large.inferenceSubBatch(for: 1) == 1)
        // Sub-batches change nothing but the last bits: 70 samples in one call against one at a time.
        let x = Tensor(shape: [70, 28, 28, 1],
                       scalars: (0..<70 * 784).map { CounterRandom.uniform(key: 7, counter: UInt64($0)) })
        let whole = try small.predict(x, batchSize: 70), single = try small.predict(x, batchSize: 1)
        #expect(whole.shape == [70, 10])
        #expect(zip(whole.scalars, single.scalars).allSatisfy { abs($0 - $1) <= 1e-5 })
    }
}
