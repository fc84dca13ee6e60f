import Testing
@testable import Training

/// The convolution family against nested loops (``DirectConvolution``),
/// with every parameter (biases too) set to non-zero values.
@Suite struct ConvolutionLayerTests {
    /// Builds `layer`, fills its parameters and an input, and returns the
    /// input, the parameters' values and the layer's output.
    static func run(_ layer: any UnaryLayer, inputShape: [Int], batch: Int = 2)
        throws -> (x: DirectConvolution.Images, weights: [[Float]], output: [Float]) {
        let outputShape = try layer.build(inputShape: inputShape, seed: 5)
        let weights = layer.parameters.enumerated().map { index, parameter in
            let values = GradientCheck.values(parameter.count, key: 20 + UInt64(index))
            parameter.value.pointer.update(from: values, count: values.count)
            return values
        }
        let x = GradientCheck.values(batch * inputShape.reduce(1, *), key: 11)
        let output = x.withUnsafeBufferPointer {
            let y = layer.forward($0.baseAddress!, batch: batch, context: ForwardContext(training: false))
            return Array(UnsafeBufferPointer(start: y, count: batch * outputShape.reduce(1, *)))
        }
        let images = DirectConvolution.Images(count: batch, height: inputShape[0], width: inputShape[1],
                                              channels: inputShape[2], values: x)
        return (images, weights, output)
    }

    static func expectClose(_ actual: [Float], _ expected: DirectConvolution.Images, shape: [Int],
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect([expected.height, expected.width, expected.channels] == shape, sourceLocation: sourceLocation)
        #expect(actual.count == expected.values.count, sourceLocation: sourceLocation)
        let worst = zip(actual, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-5, "largest difference \(worst)", sourceLocation: sourceLocation)
    }

    @Test func dilatedConv2D() throws {
        let layer = try Conv2D(filters: 3, kernelSize: (3, 2), padding: .same, dilationRate: (2, 3))
        let (x, w, y) = try Self.run(layer, inputShape: [7, 8, 2])
        let expected = DirectConvolution.conv2D(x, kernel: w[0], kernelSize: (3, 2), filters: 3, bias: w[1],
                                                dilation: (2, 3), same: true)
        Self.expectClose(y, expected, shape: layer.outputShape)
    }

    @Test func groupedConv2D() throws {
        let layer = try Conv2D(filters: 6, kernelSize: (3, 3), strides: (2, 1), padding: .same, groups: 3)
        let (x, w, y) = try Self.run(layer, inputShape: [5, 6, 6])
        #expect(layer.parameters[0].shape == [3, 3, 2, 6])
        let expected = DirectConvolution.conv2D(x, kernel: w[0], kernelSize: (3, 3), filters: 6, bias: w[1],
                                                strides: (2, 1), same: true, groups: 3)
        Self.expectClose(y, expected, shape: layer.outputShape)
    }

    /// groups == channels: oneDNN's depthwise kernels.
    @Test func conv2DWithAGroupPerChannel() throws {
        let layer = try Conv2D(filters: 8, kernelSize: (2, 2), groups: 4, activation: .relu)
        let (x, w, y) = try Self.run(layer, inputShape: [4, 5, 4])
        let linear = DirectConvolution.conv2D(x, kernel: w[0], kernelSize: (2, 2), filters: 8, bias: w[1], groups: 4)
        var expected = linear
        expected.values = linear.values.map { max($0, 0) }
        Self.expectClose(y, expected, shape: layer.outputShape)
    }

    @Test func depthwiseConv2D() throws {
        let layer = try DepthwiseConv2D(kernelSize: (3, 3), strides: (2, 2), padding: .same, depthMultiplier: 3)
        let (x, w, y) = try Self.run(layer, inputShape: [6, 5, 4])
        #expect(layer.parameters.map(\.shape) == [[3, 3, 4, 3], [12]])
        let expected = DirectConvolution.depthwise(x, kernel: w[0], kernelSize: (3, 3), multiplier: 3, bias: w[1],
                                                   strides: (2, 2), same: true)
        Self.expectClose(y, expected, shape: layer.outputShape)
    }

    @Test func dilatedDepthwiseConv2D() throws {
        let layer = try DepthwiseConv2D(kernelSize: (2, 3), dilationRate: (3, 2), useBias: false)
        let (x, w, y) = try Self.run(layer, inputShape: [7, 7, 3])
        let expected = DirectConvolution.depthwise(x, kernel: w[0], kernelSize: (2, 3), multiplier: 1, bias: nil,
                                                   dilation: (3, 2))
        Self.expectClose(y, expected, shape: layer.outputShape)
    }

    @Test func separableConv2D() throws {
        let layer = try SeparableConv2D(filters: 5, kernelSize: (3, 3), strides: (1, 2), padding: .same, depthMultiplier: 2)
        let (x, w, y) = try Self.run(layer, inputShape: [5, 6, 3])
        #expect(layer.parameters.map(\.name) == ["depthwise_kernel", "pointwise_kernel", "bias"])
        #expect(layer.parameters.map(\.shape) == [[3, 3, 3, 2], [1, 1, 6, 5], [5]])
        let middle = DirectConvolution.depthwise(x, kernel: w[0], kernelSize: (3, 3), multiplier: 2, bias: nil,
                                                 strides: (1, 2), same: true)
        let expected = DirectConvolution.conv2D(middle, kernel: w[1], kernelSize: (1, 1), filters: 5, bias: w[2])
        Self.expectClose(y, expected, shape: layer.outputShape)
    }

    /// Output extents and crops worked out by hand from Keras's formulas.
    @Test(arguments: [
        // k 3, s 2, same, 4×3 → 8×6, no crop.
        (kernel: [3, 3], strides: [2, 2], same: true, outputPadding: [Int](), input: [4, 3], output: [8, 6], crop: [0, 0]),
        // k (5, 4), s 2, same, 3×3 → 6×6; pads (2·2 + 5 - 6) / 2 = 1 and (2·2 + 4 - 6) / 2 = 1.
        (kernel: [5, 4], strides: [2, 2], same: true, outputPadding: [], input: [3, 3], output: [6, 6], crop: [1, 1]),
        // k 4, s 1, same: 4×4 → 4×4, crop (3 + 4 - 4) / 2 = 1.
        (kernel: [4, 4], strides: [1, 1], same: true, outputPadding: [], input: [4, 4], output: [4, 4], crop: [1, 1]),
        // k (2, 3), s (3, 2), valid: rows 2·3 + max(2, 3) = 9, columns 3·2 + 3 = 9.
        (kernel: [2, 3], strides: [3, 2], same: false, outputPadding: [], input: [3, 4], output: [9, 9], crop: [0, 0]),
        // k 3, s 2, same, output padding (1, 0): 2·2 + 1 + 1 = 6, 2·2 + 1 = 5; crops (4 + 3 - 6) / 2 = 0, (4 + 3 - 5) / 2 = 1.
        (kernel: [3, 3], strides: [2, 2], same: true, outputPadding: [1, 0], input: [3, 3], output: [6, 5], crop: [0, 1]),
        // k 2, s 3, valid, output padding (2, 1): 2·3 + 2 + 2 = 10, 1·3 + 2 + 1 = 6.
        (kernel: [2, 2], strides: [3, 3], same: false, outputPadding: [2, 1], input: [3, 2], output: [10, 6], crop: [0, 0]),
    ])
    func conv2DTranspose(_ c: (kernel: [Int], strides: [Int], same: Bool, outputPadding: [Int], input: [Int],
                               output: [Int], crop: [Int])) throws {
        let layer = try Conv2DTranspose(filters: 3, kernelSize: (c.kernel[0], c.kernel[1]), strides: (c.strides[0], c.strides[1]),
                                        padding: c.same ? .same : .valid,
                                        outputPadding: c.outputPadding.isEmpty ? nil : (c.outputPadding[0], c.outputPadding[1]))
        let (x, w, y) = try Self.run(layer, inputShape: c.input + [2])
        #expect(layer.parameters.map(\.shape) == [c.kernel + [3, 2], [3]])
        let expected = DirectConvolution.transposed(x, kernel: w[0], kernelSize: (c.kernel[0], c.kernel[1]), filters: 3,
                                                    bias: w[1], strides: (c.strides[0], c.strides[1]),
                                                    output: (c.output[0], c.output[1]), pad: (c.crop[0], c.crop[1]))
        Self.expectClose(y, expected, shape: layer.outputShape)
    }

    /// The fused first-layer kernel has neither groups nor dilation: the graph must not pick it.
    @Test func fusedConvolutionPoolingRefusesGroupsAndDilation() throws {
        func pair(_ conv: Conv2D) throws -> ConvolutionPooling? {
            let pool = try MaxPooling2D(poolSize: (2, 2))
            _ = try pool.build(inputShape: conv.build(inputShape: [8, 8, 2], seed: 1), seed: 1)
            return ConvolutionPooling(conv, pool)
        }
        #expect(try pair(Conv2D(filters: 16, kernelSize: (3, 3), activation: .relu)) != nil)
        #expect(try pair(Conv2D(filters: 16, kernelSize: (3, 3), dilationRate: (2, 2), activation: .relu)) == nil)
        #expect(try pair(Conv2D(filters: 16, kernelSize: (3, 3), groups: 2, activation: .relu)) == nil)
    }

    @Test func argumentsAreCheckedAsKerasDoes() throws {
        func parameter(_ make: () throws -> Any) -> String? {
            do { _ = try make(); return nil } catch let TrainingError.invalidArgument(parameter, _, _) { return parameter } catch { return "\(error)" }
        }
        #expect(parameter { try Conv2D(filters: 4, kernelSize: (3, 3), groups: 0) } == "groups")
        #expect(parameter { try Conv2D(filters: 5, kernelSize: (3, 3), groups: 2) } == "groups")
        #expect(parameter { try Conv2D(filters: 4, kernelSize: (3, 3), dilationRate: (0, 1)) } == "dilationRate")
        #expect(parameter { try Conv2D(filters: 4, kernelSize: (3, 3), strides: (2, 2), dilationRate: (2, 2)) } == "dilationRate")
        #expect(parameter { try DepthwiseConv2D(kernelSize: (3, 3), depthMultiplier: 0) } == "depthMultiplier")
        #expect(parameter { try DepthwiseConv2D(kernelSize: (0, 3)) } == "kernelSize")
        #expect(parameter { try SeparableConv2D(filters: 0, kernelSize: (3, 3)) } == "filters")
        #expect(parameter { try SeparableConv2D(filters: 2, kernelSize: (3, 3), strides: (1, 2), dilationRate: (2, 1)) } == nil)
        #expect(parameter { try Conv2DTranspose(filters: 2, kernelSize: (3, 3), strides: (2, 2), outputPadding: (2, 0)) } == "outputPadding")
        #expect(parameter { try Conv2DTranspose(filters: 2, kernelSize: (3, 3), strides: (0, 1)) } == "strides")
    }

    @Test func groupsMustDivideTheInputChannels() throws {
        let conv = try Conv2D(filters: 4, kernelSize: (3, 3), groups: 4, name: "grouped")
        #expect(throws: TrainingError.self) { try conv.build(inputShape: [5, 5, 6], seed: 1) }
        let dilated = try DepthwiseConv2D(kernelSize: (3, 3), dilationRate: (3, 3), name: "wide")
        #expect(throws: TrainingError.self) { try dilated.build(inputShape: [6, 6, 2], seed: 1) }
    }
}
