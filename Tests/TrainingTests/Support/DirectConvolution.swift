/// Convolutions as plain nested loops over NHWC tensors and Keras-layout
/// kernels, the reference the oneDNN layers are tested against.
enum DirectConvolution {
    /// A batch of images: `count` samples of height × width × channels.
    struct Images {
        var count: Int, height: Int, width: Int, channels: Int
        var values: [Float]
        subscript(n: Int, y: Int, x: Int, c: Int) -> Float {
            values[((n * height + y) * width + x) * channels + c]
        }
    }

    /// TensorFlow's leading pad and output extent along one axis.
    static func axis(input: Int, kernel: Int, stride: Int, dilation: Int, same: Bool) -> (pad: Int, extent: Int) {
        let span = (kernel - 1) * dilation + 1
        guard same else { return (0, (input - span) / stride + 1) }
        let extent = (input + stride - 1) / stride
        return (max((extent - 1) * stride + span - input, 0) / 2, extent)
    }

    /// Keras `Conv2D`: kernel `(kh, kw, cin / groups, filters)`; filter `f`
    /// reads the input channels of group `f / (filters / groups)`.
    static func conv2D(_ x: Images, kernel w: [Float], kernelSize k: (Int, Int), filters: Int, bias: [Float]?,
                       strides s: (Int, Int) = (1, 1), dilation d: (Int, Int) = (1, 1), same: Bool = false,
                       groups: Int = 1) -> Images {
        let rows = axis(input: x.height, kernel: k.0, stride: s.0, dilation: d.0, same: same)
        let cols = axis(input: x.width, kernel: k.1, stride: s.1, dilation: d.1, same: same)
        let perGroupIn = x.channels / groups, perGroupOut = filters / groups
        var y = Images(count: x.count, height: rows.extent, width: cols.extent, channels: filters,
                       values: .init(repeating: 0, count: x.count * rows.extent * cols.extent * filters))
        for n in 0..<x.count { for oy in 0..<rows.extent { for ox in 0..<cols.extent { for f in 0..<filters {
            var sum = bias?[f] ?? 0
            let group = f / perGroupOut
            for ky in 0..<k.0 { for kx in 0..<k.1 {
                let iy = oy * s.0 - rows.pad + ky * d.0, ix = ox * s.1 - cols.pad + kx * d.1
                guard iy >= 0, iy < x.height, ix >= 0, ix < x.width else { continue }
                for i in 0..<perGroupIn {
                    sum += x[n, iy, ix, group * perGroupIn + i] * w[((ky * k.1 + kx) * perGroupIn + i) * filters + f]
                }
            } }
            y.values[((n * rows.extent + oy) * cols.extent + ox) * filters + f] = sum
        } } } }
        return y
    }

    /// Keras `DepthwiseConv2D`: kernel `(kh, kw, cin, m)`; output channel
    /// `c · m + j` is input channel `c` convolved with `kernel[., ., c, j]`.
    static func depthwise(_ x: Images, kernel w: [Float], kernelSize k: (Int, Int), multiplier m: Int, bias: [Float]?,
                          strides s: (Int, Int) = (1, 1), dilation d: (Int, Int) = (1, 1), same: Bool = false) -> Images {
        let rows = axis(input: x.height, kernel: k.0, stride: s.0, dilation: d.0, same: same)
        let cols = axis(input: x.width, kernel: k.1, stride: s.1, dilation: d.1, same: same)
        let c = x.channels
        var y = Images(count: x.count, height: rows.extent, width: cols.extent, channels: c * m,
                       values: .init(repeating: 0, count: x.count * rows.extent * cols.extent * c * m))
        for n in 0..<x.count { for oy in 0..<rows.extent { for ox in 0..<cols.extent {
            for channel in 0..<c { for j in 0..<m {
                var sum = bias?[channel * m + j] ?? 0
                for ky in 0..<k.0 { for kx in 0..<k.1 {
                    let iy = oy * s.0 - rows.pad + ky * d.0, ix = ox * s.1 - cols.pad + kx * d.1
                    guard iy >= 0, iy < x.height, ix >= 0, ix < x.width else { continue }
                    sum += x[n, iy, ix, channel] * w[((ky * k.1 + kx) * c + channel) * m + j]
                } }
                y.values[((n * rows.extent + oy) * cols.extent + ox) * c * m + channel * m + j] = sum
            } }
        } } }
        return y
    }

    /// Keras `Conv2DTranspose` by scattering: input pixel `(iy, ix)` adds
    /// `x · kernel[ky, kx, f, c]` to output pixel `(iy · s + ky - padTop, ix · s + kx - padLeft)`.
    static func transposed(_ x: Images, kernel w: [Float], kernelSize k: (Int, Int), filters: Int, bias: [Float]?,
                           strides s: (Int, Int), output: (Int, Int), pad: (Int, Int)) -> Images {
        var y = Images(count: x.count, height: output.0, width: output.1, channels: filters,
                       values: .init(repeating: 0, count: x.count * output.0 * output.1 * filters))
        for n in 0..<x.count { for oy in 0..<output.0 { for ox in 0..<output.1 { for f in 0..<filters {
            y.values[((n * output.0 + oy) * output.1 + ox) * filters + f] = bias?[f] ?? 0
        } } } }
        for n in 0..<x.count { for iy in 0..<x.height { for ix in 0..<x.width { for c in 0..<x.channels {
            for ky in 0..<k.0 { for kx in 0..<k.1 {
                let oy = iy * s.0 + ky - pad.0, ox = ix * s.1 + kx - pad.1
                guard oy >= 0, oy < output.0, ox >= 0, ox < output.1 else { continue }
                for f in 0..<filters {
                    y.values[((n * output.0 + oy) * output.1 + ox) * filters + f] +=
                        x[n, iy, ix, c] * w[((ky * k.1 + kx) * filters + f) * x.channels + c]
                }
            } }
        } } } }
        return y
    }
}
