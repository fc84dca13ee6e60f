import Testing
@testable import Training

@Suite struct KernelTests {
    /// The oneDNN convolution against a direct 6-loop convolution with explicit padding.
    @Test(arguments: [(Padding.valid, 1), (.same, 1), (.same, 2), (.valid, 2)])
    func convolutionMatchesDirectLoops(padding: Padding, stride: Int) throws {
        let (h, w, c, f, kh, kw, batch) = (5, 6, 2, 3, 3, 2, 2)
        let conv = try Conv2D(filters: f, kernelSize: (kh, kw), strides: (stride, stride), padding: padding)
        let out = try conv.build(inputShape: [h, w, c], seed: 1)
        conv.parameters[1].tensor = Tensor(shape: [f], scalars: [0.1, -0.2, 0.3])
        let x = GradientCheck.values(batch * h * w * c, key: 9)
        let kernel = conv.parameters[0].tensor
        let y = x.withUnsafeBufferPointer {
            Array(UnsafeBufferPointer(start: conv.forward($0.baseAddress!, batch: batch, context: .init(training: false)),
                                      count: batch * out.reduce(1, *)))
        }
        let (oh, ow) = (out[0], out[1])
        let padTop = padding == .same ? max((oh - 1) * stride + kh - h, 0) / 2 : 0
        let padLeft = padding == .same ? max((ow - 1) * stride + kw - w, 0) / 2 : 0
        for n in 0..<batch { for oy in 0..<oh { for ox in 0..<ow { for o in 0..<f {
            var sum: Float = [0.1, -0.2, 0.3][o]
            for ky in 0..<kh { for kx in 0..<kw { for ci in 0..<c {
                let iy = oy * stride - padTop + ky, ix = ox * stride - padLeft + kx
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                sum += x[((n * h + iy) * w + ix) * c + ci] * kernel[[ky, kx, ci, o]]
            } } }
            #expect(abs(y[((n * oh + oy) * ow + ox) * f + o] - sum) < 1e-5)
        } } } }
    }

    @Test func paddingExtents() {
        #expect(Padding.same.output(input: 28, window: 3, stride: 1) == (28, 1))
        #expect(Padding.valid.output(input: 28, window: 3, stride: 1) == (26, 0))
        #expect(Padding.same.output(input: 5, window: 2, stride: 2) == (3, 0))
        #expect(Padding.valid.output(input: 13, window: 2, stride: 2) == (6, 0))
    }

    @Test func maxPoolingPicksMaxima() throws {
        let pool = try MaxPooling2D()
        _ = try pool.build(inputShape: [2, 4, 1], seed: 0)
        let x: [Float] = [1, 5, 2, 0, 3, 4, 8, 7]
        let y = x.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: pool.forward($0.baseAddress!, batch: 1, context: .init(training: false)), count: 2)) }
        #expect(y == [5, 8])
    }
}
