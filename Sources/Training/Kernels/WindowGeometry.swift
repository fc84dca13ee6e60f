/// The geometry of a 2-D sliding window over NHWC tensors (convolution or
/// pooling): input extent, window, strides, dilation, padding and the output extent.
///
/// ```swift
/// let g = WindowGeometry(input: (28, 28, 1), window: (3, 3), strides: (1, 1), padding: .same)
/// // g.outputHeight == 28, g.padTop == 1
/// ```
public struct WindowGeometry: Sendable, Equatable {
    public let inputHeight: Int, inputWidth: Int, channels: Int
    public let windowHeight: Int, windowWidth: Int
    public let strideY: Int, strideX: Int
    /// Keras's `dilation_rate`: the step between window taps (1: dense).
    public let dilationY: Int, dilationX: Int
    public let padTop: Int, padLeft: Int
    public let outputHeight: Int, outputWidth: Int

    /// The geometry of `window` sliding by `strides` over an `input` with
    /// `padding`, its taps `dilation` apart; the window then spans
    /// `(window - 1) · dilation + 1` pixels, as in Keras and TensorFlow.
    public init(input: (height: Int, width: Int, channels: Int),
                window: (height: Int, width: Int),
                strides: (y: Int, x: Int), padding: Padding, dilation: (y: Int, x: Int) = (1, 1)) {
        let rows = padding.output(input: input.height, window: (window.height - 1) * dilation.y + 1, stride: strides.y)
        let cols = padding.output(input: input.width, window: (window.width - 1) * dilation.x + 1, stride: strides.x)
        self.init(input: input, window: window, strides: strides, dilation: dilation,
                  padBefore: (rows.padBefore, cols.padBefore), output: (rows.extent, cols.extent))
    }

    /// A geometry with explicit leading pads and output extent (a transposed
    /// convolution's, say); rows and columns past the last window are unused.
    public init(input: (height: Int, width: Int, channels: Int),
                window: (height: Int, width: Int), strides: (y: Int, x: Int), dilation: (y: Int, x: Int),
                padBefore: (top: Int, left: Int), output: (height: Int, width: Int)) {
        inputHeight = input.height; inputWidth = input.width; channels = input.channels
        windowHeight = window.height; windowWidth = window.width
        strideY = strides.y; strideX = strides.x
        dilationY = dilation.y; dilationX = dilation.x
        padTop = padBefore.top; padLeft = padBefore.left
        outputHeight = output.height; outputWidth = output.width
    }

    /// Elements of one input sample.
    public var inputSize: Int { inputHeight * inputWidth * channels }
    /// Output pixels of one sample.
    public var outputPixels: Int { outputHeight * outputWidth }
    /// Values under one window: `windowHeight · windowWidth · channels`.
    public var patchSize: Int { windowHeight * windowWidth * channels }
    /// Input rows one window spans: `(windowHeight - 1) · dilationY + 1`.
    public var spanHeight: Int { (windowHeight - 1) * dilationY + 1 }
    /// Input columns one window spans: `(windowWidth - 1) · dilationX + 1`.
    public var spanWidth: Int { (windowWidth - 1) * dilationX + 1 }
}
