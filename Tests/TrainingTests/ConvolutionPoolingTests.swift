import Testing
@testable import Training

/// The fused first-layer kernel (ReLU convolution + max pooling) against
/// direct loops: forward values, kernel and bias gradients.
@Suite struct ConvolutionPoolingTests {
    struct Case: Sendable, CustomStringConvertible {
        var input: (Int, Int, Int), filters: Int, kernel: (Int, Int), stride: Int, padding: Padding
        var pool: (Int, Int), poolStride: Int, poolPadding: Padding, bias: Bool
        var description: String { "\(input) f\(filters) k\(kernel) s\(stride) \(padding) pool \(pool)/\(poolStride) \(poolPadding)" }
    }

    static let cases: [Case] = [
        Case(input: (7, 8, 1), filters: 16, kernel: (3, 3), stride: 1, padding: .valid, pool: (2, 2), poolStride: 2, poolPadding: .valid, bias: true),
        Case(input: (6, 5, 3), filters: 32, kernel: (3, 2), stride: 1, padding: .same, pool: (2, 2), poolStride: 2, poolPadding: .same, bias: true),
        Case(input: (9, 9, 2), filters: 16, kernel: (2, 3), stride: 2, padding: .same, pool: (3, 3), poolStride: 1, poolPadding: .valid, bias: false),
    ]

    @Test(arguments: cases)
    func matchesDirectLoops(_ c: Case) throws {
        let conv = try Conv2D(filters: c.filters, kernelSize: c.kernel, strides: (c.stride, c.stride), padding: c.padding,
                              activation: .relu, useBias: c.bias)
        let pool = try MaxPooling2D(poolSize: c.pool, strides: (c.poolStride, c.poolStride), padding: c.poolPadding)
        let convShape = try conv.build(inputShape: [c.input.0, c.input.1, c.input.2], seed: 3)
        let poolShape = try pool.build(inputShape: convShape, seed: 0)
        if c.bias { conv.parameters[1].tensor = Tensor(shape: [c.filters], scalars: GradientCheck.values(c.filters, key: 4, scale: 0.2)) }
        let fused = try #require(ConvolutionPooling(conv, pool))
        let batch = 3
        let x = GradientCheck.values(batch * c.input.0 * c.input.1 * c.input.2, key: 5)
        let dy = GradientCheck.values(batch * poolShape.reduce(1, *), key: 6)
        let reference = Reference(conv: conv, pool: pool, x: x, batch: batch, dy: dy)

        let y = x.withUnsafeBufferPointer { px in
            let out = fused.forward(px.baseAddress!, batch: batch, context: ForwardContext(training: true))
            dy.withUnsafeBufferPointer { fused.backward($0.baseAddress!, batch: batch) }
            return Array(UnsafeBufferPointer(start: out, count: dy.count))
        }
        #expect(y.contains { $0 > 0 } && y.contains { $0 == 0 })
        for (a, b) in zip(y, reference.output) { #expect(abs(a - b) <= 1e-5) }
        let kernelGradient = conv.parameters[0].gradient.array(count: conv.parameters[0].count)
        for (a, b) in zip(kernelGradient, reference.kernelGradient) { #expect(abs(a - b) <= 1e-4) }
        if c.bias {
            let biasGradient = conv.parameters[1].gradient.array(count: c.filters)
            for (a, b) in zip(biasGradient, reference.biasGradient) { #expect(abs(a - b) <= 1e-4) }
        }
    }

    @Test func declinesManyChannelsAndUnevenFilters() throws {
        for (channels, filters) in [(5, 16), (1, 8), (1, 24)] {
            let conv = try Conv2D(filters: filters, kernelSize: (3, 3), activation: .relu)
            let pool = try MaxPooling2D()
            _ = try pool.build(inputShape: conv.build(inputShape: [6, 6, channels], seed: 0), seed: 0)
            #expect(ConvolutionPooling(conv, pool) == nil)
        }
    }

    /// Convolution, ReLU and pooling in direct loops; the gradient goes to
    /// each window's first maximum when it is positive.
    struct Reference {
        var output: [Float] = [], kernelGradient: [Float], biasGradient: [Float]

        init(conv: Conv2D, pool: MaxPooling2D, x: [Float], batch: Int, dy: [Float]) {
            let g = conv.geometry!, p = pool.geometry!, f = conv.filters
            let kernel = conv.parameters[0].value.array(count: conv.parameters[0].count)
            let bias = conv.useBias ? conv.parameters[1].value.array(count: f) : [Float](repeating: 0, count: f)
            kernelGradient = .init(repeating: 0, count: kernel.count)
            biasGradient = .init(repeating: 0, count: f)
            func input(_ n: Int, _ y: Int, _ x0: Int, _ ci: Int) -> Float {
                guard y >= 0, y < g.inputHeight, x0 >= 0, x0 < g.inputWidth else { return 0 }
                return x[((n * g.inputHeight + y) * g.inputWidth + x0) * g.channels + ci]
            }
            for n in 0..<batch {
                var a = [Float](repeating: 0, count: g.outputPixels * f)
                for oy in 0..<g.outputHeight { for ox in 0..<g.outputWidth { for o in 0..<f {
                    var sum = bias[o]
                    for ky in 0..<g.windowHeight { for kx in 0..<g.windowWidth { for ci in 0..<g.channels {
                        sum += input(n, oy * g.strideY - g.padTop + ky, ox * g.strideX - g.padLeft + kx, ci)
                            * kernel[((ky * g.windowWidth + kx) * g.channels + ci) * f + o]
                    } } }
                    a[(oy * g.outputWidth + ox) * f + o] = max(sum, 0)
                } } }
                for py in 0..<p.outputHeight { for px in 0..<p.outputWidth { for o in 0..<f {
                    var best = -Float.infinity, at = (0, 0)
                    for wy in 0..<p.windowHeight { for wx in 0..<p.windowWidth {
                        let y = py * p.strideY - p.padTop + wy, x0 = px * p.strideX - p.padLeft + wx
                        guard y >= 0, y < p.inputHeight, x0 >= 0, x0 < p.inputWidth else { continue }
                        let v = a[(y * g.outputWidth + x0) * f + o]
                        if v > best { best = v; at = (y, x0) }
                    } }
                    output.append(best)
                    let d = dy[((n * p.outputHeight + py) * p.outputWidth + px) * f + o]
                    guard best > 0 else { continue }
                    biasGradient[o] += d
                    for ky in 0..<g.windowHeight { for kx in 0..<g.windowWidth { for ci in 0..<g.channels {
                        kernelGradient[((ky * g.windowWidth + kx) * g.channels + ci) * f + o] +=
                            d * input(n, at.0 * g.strideY - g.padTop + ky, at.1 * g.strideX - g.padLeft + kx, ci)
                    } } }
                } } }
            }
        }
    }
}
