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
    /// Values under one window: `windowHeight · windowWidth · channels`.
    public var patchSize: Int { windowHeight * windowWidth * channels }
}
