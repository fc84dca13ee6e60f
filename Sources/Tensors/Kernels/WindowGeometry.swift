/// The geometry of a 2-D sliding window over NHWC tensors (convolution or
/// pooling): input extent, window, strides, padding and the output extent.
public struct WindowGeometry: Sendable, Equatable {
    public let inputHeight: Int, inputWidth: Int, channels: Int
    public let windowHeight: Int, windowWidth: Int
    public let strideY: Int, strideX: Int
    public let padTop: Int, padLeft: Int
    public let outputHeight: Int, outputWidth: Int

    /// The geometry of `window` sliding by `strides` over an `input` with `padding`.
    public init(input: (height: Int, width: Int, channels: Int),
                window: (height: Int, width: Int),
                strides: (y: Int, x: Int), padding: Padding) {
        inputHeight = input.height; inputWidth = input.width; channels = input.channels
        windowHeight = window.height; windowWidth = window.width
        strideY = strides.y; strideX = strides.x
        let rows = padding.output(input: input.height, window: window.height, stride: strides.y)
        let cols = padding.output(input: input.width, window: window.width, stride: strides.x)
        outputHeight = rows.extent; padTop = rows.padBefore
        outputWidth = cols.extent; padLeft = cols.padBefore
    }

    /// Elements of one input sample.
    public var inputSize: Int { inputHeight * inputWidth * channels }
    /// Output pixels of one sample.
    public var outputPixels: Int { outputHeight * outputWidth }
    /// Length of one im2col row: `windowHeight · windowWidth · channels`.
    public var patchSize: Int { windowHeight * windowWidth * channels }

    /// Lowers `batch` NHWC samples to a `[batch·outputPixels, patchSize]`
    /// matrix whose columns run (ky, kx, c), matching a Keras kernel
    /// `(kh, kw, cin, cout)` read as a `[patchSize, cout]` matrix.
    /// Padding positions are zero.
    /// - Complexity: O(batch · outputPixels · patchSize).
    public func im2col(_ input: UnsafePointer<Float>, batch: Int, into cols: UnsafeMutablePointer<Float>) {
        ParallelChunks.run(count: batch, work: batch * outputPixels * patchSize) { samples in
            for n in samples {
                im2col(sample: input + n * inputSize, into: cols + n * outputPixels * patchSize)
            }
        }
    }

    /// ``im2col(_:batch:into:)`` for one sample.
    private func im2col(sample: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>) {
        let rowLength = windowWidth * channels
        var row = cols
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                let x0 = ox * strideX - padLeft
                for ky in 0..<windowHeight {
                    let target = row + ky * rowLength
                    let iy = oy * strideY - padTop + ky
                    if iy < 0 || iy >= inputHeight {
                        target.update(repeating: 0, count: rowLength)
                        continue
                    }
                    let line = sample + iy * inputWidth * channels
                    if x0 >= 0 && x0 + windowWidth <= inputWidth {
                        VectorKernels.copy(line + x0 * channels, into: target, count: rowLength)
                    } else {
                        for kx in 0..<windowWidth {
                            let ix = x0 + kx
                            let slot = target + kx * channels
                            if ix < 0 || ix >= inputWidth {
                                slot.update(repeating: 0, count: channels)
                            } else {
                                VectorKernels.copy(line + ix * channels, into: slot, count: channels)
                            }
                        }
                    }
                }
                row += patchSize
            }
        }
    }

    /// The adjoint of ``im2col(_:batch:into:)``: scatters and sums the patch
    /// gradients back into a zeroed NHWC input gradient.
    /// - Complexity: O(batch · outputPixels · patchSize).
    public func col2im(_ cols: UnsafePointer<Float>, batch: Int, into input: UnsafeMutablePointer<Float>) {
        ParallelChunks.run(count: batch, work: batch * outputPixels * patchSize) { samples in
            for n in samples {
                col2im(sample: cols + n * outputPixels * patchSize, into: input + n * inputSize)
            }
        }
    }

    /// ``col2im(_:batch:into:)`` for one sample.
    private func col2im(sample cols: UnsafePointer<Float>, into sample: UnsafeMutablePointer<Float>) {
        sample.update(repeating: 0, count: inputSize)
        var row = cols
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                let x0 = ox * strideX - padLeft
                for ky in 0..<windowHeight {
                    let iy = oy * strideY - padTop + ky
                    if iy < 0 || iy >= inputHeight { continue }
                    let line = sample + iy * inputWidth * channels
                    let source = row + ky * windowWidth * channels
                    for kx in 0..<windowWidth {
                        let ix = x0 + kx
                        if ix < 0 || ix >= inputWidth { continue }
                        VectorKernels.add(source + kx * channels, into: line + ix * channels, count: channels)
                    }
                }
                row += patchSize
            }
        }
    }
}
