import Testing
@testable import Training

/// 3×3 stride-1 convolutions of 16 or more channels run by Winograd's
/// algorithm (with AVX-512, oneDNN's `jit_wino_4x3` over blocked copies of the
/// NHWC activations; with AVX2, winograd.c's over NHWC for channels in
/// multiples of 8): all three passes against direct loops, and the cases that
/// stay direct. 24 channels and 40 filters take the AVX2 kernels' partial
/// register blocks.
@Suite struct WinogradConvolutionTests {
    static let batch = 2

    static func geometry(_ height: Int, _ width: Int, channels: Int, padding: Padding) -> WindowGeometry {
        WindowGeometry(input: (height, width, channels), window: (3, 3), strides: (1, 1), padding: padding)
    }

    /// 16 channels are read and written in place (nChw16c and NHWC are then
    /// the same bytes), other counts through blocked copies. With AVX2, a 9×7
    /// input's 7×5 output stays direct (4×4 tiles cover 55 % of it) while its
    /// input gradient runs Winograd.
    @Test(arguments: [(Padding.same, true, 16, 32, 6), (.valid, false, 32, 16, 6), (.same, true, 16, 16, 6),
                      (.valid, true, 48, 32, 6), (.valid, false, 16, 16, 9), (.same, false, 24, 40, 9)])
    func allThreePassesMatchDirectLoops(padding: Padding, residual: Bool, channels: Int, filters: Int, height: Int) {
        let g = Self.geometry(height, 7, channels: channels, padding: padding)
        let batch = Self.batch
        let plan = ConvolutionPlan(geometry: g, filters: filters, batch: batch, bias: true, activation: .relu, addsOutput: residual)
        #expect(plan.usesWinograd == ConvolutionPlan.winogradIsSupported, "AVX-512 CPUs run these shapes by Winograd")
        let x = GradientCheck.values(batch * g.inputSize, key: 1)
        let kernel = GradientCheck.values(9 * g.channels * filters, key: 2, scale: 0.3)
        let bias = GradientCheck.values(filters, key: 3, scale: 0.2)
        let outputCount = batch * g.outputPixels * filters
        let shortcut = residual ? GradientCheck.values(outputCount, key: 4) : [Float](repeating: 0, count: outputCount)
        let dy = GradientCheck.values(outputCount, key: 5)
        let reference = DirectConvolution(g: g, filters: filters, batch: batch, x: x, kernel: kernel)

        var y = shortcut
        plan.forward(x, kernel: kernel, bias: bias, into: &y)
        var expected = reference.output
        for i in expected.indices { expected[i] = max(expected[i] + bias[i % filters] + shortcut[i], 0) }
        Self.expectClose(y, expected)

        var dx = [Float](repeating: .nan, count: x.count)
        plan.inputGradient(dy, kernel: kernel, into: &dx)
        Self.expectClose(dx, reference.inputGradient(dy))

        var dk = [Float](repeating: .nan, count: kernel.count), db = [Float](repeating: .nan, count: filters)
        plan.weightGradients(input: x, gradOutput: dy, kernel: &dk, bias: &db)
        Self.expectClose(dk, reference.kernelGradient(dy))
        Self.expectClose(db, (0..<filters).map { f in stride(from: f, to: dy.count, by: filters).reduce(0) { $0 + dy[$1] } })
    }

    /// The AVX2 kernel splits samples among threads and sums the kernel
    /// gradient in chunks fixed by the batch size: 1 and 2 threads give the same bits.
    @Test(.enabled(if: ConvolutionPlan.winogradKernel == .avx2))
    func avx2ResultsDoNotDependOnTheThreadCount() {
        let g = Self.geometry(12, 12, channels: 16, padding: .same)
        let batch = 5, filters = 24
        let plan = ConvolutionPlan(geometry: g, filters: filters, batch: batch, bias: true, activation: .relu)
        #expect(plan.usesWinograd)
        let x = GradientCheck.values(batch * g.inputSize, key: 6)
        let kernel = GradientCheck.values(9 * g.channels * filters, key: 7, scale: 0.3)
        let bias = GradientCheck.values(filters, key: 8, scale: 0.2)
        let dy = GradientCheck.values(batch * g.outputPixels * filters, key: 9)
        func passes(threads: Int) -> [[Float]] {
            ComputeThreads.setForThisThread(threads)
            defer { ComputeThreads.setForThisThread(nil) }
            var y = [Float](repeating: 0, count: dy.count), dx = [Float](repeating: 0, count: x.count)
            var dk = [Float](repeating: 0, count: kernel.count), db = [Float](repeating: 0, count: filters)
            plan.forward(x, kernel: kernel, bias: bias, into: &y)
            plan.inputGradient(dy, kernel: kernel, into: &dx)
            plan.weightGradients(input: x, gradOutput: dy, kernel: &dk, bias: &db)
            return [y, dx, dk]
        }
        #expect(passes(threads: 1) == passes(threads: 2))
    }

    @Test func otherShapesStayDirect() {
        let strided = WindowGeometry(input: (6, 6, 16), window: (3, 3), strides: (2, 2), padding: .same)
        let fewChannels = Self.geometry(6, 6, channels: 8, padding: .same)
        let fiveByFive = WindowGeometry(input: (6, 6, 16), window: (5, 5), strides: (1, 1), padding: .same)
        for g in [strided, fewChannels, fiveByFive] {
            #expect(!ConvolutionPlan(geometry: g, filters: 16, batch: 1, bias: false, relu: false).usesWinograd, "\(g)")
        }
        #expect(!ConvolutionPlan(geometry: Self.geometry(6, 6, channels: 16, padding: .same), filters: 8, batch: 1,
                                 bias: false, relu: false).usesWinograd)
        #expect(!ConvolutionPlan(geometry: Self.geometry(6, 6, channels: 16, padding: .same), filters: 16, batch: 1,
                                 bias: false, relu: false, groups: 2).usesWinograd)
    }

    /// Within 1e-4 of the largest magnitude expected.
    static func expectClose(_ actual: [Float], _ expected: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        let scale = max(expected.map(abs).max() ?? 0, 1e-3)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(actual.count == expected.count && worst <= 1e-4 * scale, "worst \(worst) of \(scale)", sourceLocation: sourceLocation)
    }

    /// A convolution of NHWC activations with an HWIO kernel in direct loops.
    struct DirectConvolution {
        let g: WindowGeometry, filters: Int, batch: Int, x: [Float], kernel: [Float]

        /// Calls `body(inputIndex, kernelIndex of filter 0, outputIndex of filter 0)` for every tap inside the input.
        func forEachTap(_ body: (_ input: Int, _ kernel: Int, _ output: Int) -> Void) {
            for n in 0..<batch {
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        let output = ((n * g.outputHeight + oy) * g.outputWidth + ox) * filters
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let iy = oy + ky - g.padTop, ix = ox + kx - g.padLeft
                                guard iy >= 0, iy < g.inputHeight, ix >= 0, ix < g.inputWidth else { continue }
                                let input = ((n * g.inputHeight + iy) * g.inputWidth + ix) * g.channels
                                for c in 0..<g.channels { body(input + c, ((ky * 3 + kx) * g.channels + c) * filters, output) }
                            }
                        }
                    }
                }
            }
        }

        var output: [Float] {
            var y = [Float](repeating: 0, count: batch * g.outputPixels * filters)
            forEachTap { i, k, o in for f in 0..<filters { y[o + f] += x[i] * kernel[k + f] } }
            return y
        }

        func inputGradient(_ dy: [Float]) -> [Float] {
            var dx = [Float](repeating: 0, count: x.count)
            forEachTap { i, k, o in for f in 0..<filters { dx[i] += dy[o + f] * kernel[k + f] } }
            return dx
        }

        func kernelGradient(_ dy: [Float]) -> [Float] {
            var dk = [Float](repeating: 0, count: kernel.count)
            forEachTap { i, k, o in for f in 0..<filters { dk[k + f] += x[i] * dy[o + f] } }
            return dk
        }
    }
}
