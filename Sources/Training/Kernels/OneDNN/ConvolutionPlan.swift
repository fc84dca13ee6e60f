import CNeuralKernels

/// A 2-D convolution of NHWC activations with a Keras HWIO kernel on
/// oneDNN, built for one batch size: forward (bias and ReLU fused), the
/// weight and bias gradients, and the input gradient. Dilation comes from the
/// geometry; `groups` splits channels and filters (kernel
/// `(kh, kw, channels / groups, filters)`; `groups == channels` is depthwise).
///
/// ```swift
/// let plan = ConvolutionPlan(geometry: g, filters: 64, batch: 32, bias: true, relu: true)
/// plan.forward(x, kernel: w, bias: b, into: y)
/// ```
public final class ConvolutionPlan {
    /// The batch size the plan was built for.
    public let batch: Int
    private let plan: OpaquePointer

    /// An activation the forward pass applies after the bias (and the residual), as a oneDNN post-op.
    public enum FusedActivation: Int32, Sendable {
        case none = 0
        case relu = 1
        /// `min(max(x, 0), 6)`.
        case relu6 = 2
    }

    /// Builds the primitives (oneDNN picks its fastest kernel layout; the
    /// plan reorders the HWIO kernel into it and the gradient back).
    /// `groups` must divide both `g.channels` and `filters`.
    public convenience init(geometry g: WindowGeometry, filters: Int, batch: Int, bias: Bool, relu: Bool, groups: Int = 1) {
        self.init(geometry: g, filters: filters, batch: batch, bias: bias, activation: relu ? .relu : .none, groups: groups)
    }

    /// A plan whose forward computes `activation(conv(input, kernel) + bias + output)`
    /// when `addsOutput` (the output buffer holds a residual before the call),
    /// else `activation(conv(input, kernel) + bias)`.
    public init(geometry g: WindowGeometry, filters: Int, batch: Int, bias: Bool, activation: FusedActivation,
                addsOutput: Bool = false, groups: Int = 1) {
        precondition(g.channels % groups == 0 && filters % groups == 0, "\(groups) groups for \(g.channels) → \(filters) channels")
        ComputeThreads.adopt()
        var shape = g.oneDNN(batch: batch, outputChannels: filters, groups: groups)
        var plan: OpaquePointer?
        OneDNNStatus.check(nk_conv_create_fused(&plan, &shape, bias ? 1 : 0, activation.rawValue, addsOutput ? 1 : 0),
                           "convolution setup \(g)")
        self.plan = plan!
        self.batch = batch
    }

    deinit { nk_conv_destroy(plan) }

    /// Whether plans built from now on may compute 3×3 convolutions of stride 1
    /// with 16 or more channels in and out by Winograd's F(4×4, 3×3) (on by
    /// default): oneDNN's `jit_wino_4x3` with AVX-512, else, with AVX2, the
    /// package's own kernel for channel counts in multiples of 8, in the passes
    /// where it measured faster. It takes 40–75 % of the direct kernels' time,
    /// and groups its sums otherwise, so results differ from the direct
    /// kernels' in the last bits (relative 1e-6).
    /// Turn it off, before building a model, to reproduce a direct run's bits.
    public static var allowsWinograd: Bool {
        get { nk_conv_winograd() != 0 }
        set { nk_conv_set_winograd(newValue ? 1 : 0) }
    }

    /// A Winograd convolution kernel.
    public enum WinogradKernel: Sendable {
        /// oneDNN's `jit_wino_4x3`, over blocked copies of the activations (AVX-512).
        case oneDNN
        /// The package's own (`winograd.c`), over NHWC, for channel counts in
        /// multiples of 8 (AVX2 and FMA); its kernel gradient sums the batch in
        /// chunks fixed by the batch size, so its results do not depend on the thread count.
        case avx2
    }

    /// The Winograd kernel this CPU runs: oneDNN's with AVX-512, the package's
    /// own with AVX2 and FMA, else none (every plan is direct).
    public static var winogradKernel: WinogradKernel? {
        switch Int(nk_conv_winograd_supported()) {
        case Int(NK_WINOGRAD_ONEDNN): .oneDNN
        case Int(NK_WINOGRAD_AVX2): .avx2
        default: nil
        }
    }

    /// Whether this CPU can run Winograd's algorithm (``winogradKernel`` is not nil).
    public static var winogradIsSupported: Bool { winogradKernel != nil }

    /// Whether this plan computes by Winograd's algorithm.
    public var usesWinograd: Bool { nk_conv_uses_winograd(plan) != 0 }

    /// The kernel buffer and version whose reordered copy the plan holds.
    private var reordered: (kernel: UnsafePointer<Float>, version: Int)?

    /// `output = relu?(conv(input, kernel) + bias)`. With a `kernelVersion`
    /// (a number the caller changes whenever the kernel's values may have
    /// changed), the kernel is reordered into oneDNN's layout only when the
    /// buffer or the version differs from the last call's; without one, every call.
    /// - Complexity: O(batch · outputPixels · patchSize · filters).
    public func forward(_ input: UnsafePointer<Float>, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        into output: UnsafeMutablePointer<Float>, kernelVersion: Int? = nil) {
        ComputeThreads.adopt()
        let refresh = kernelVersion == nil || reordered?.kernel != kernel || reordered?.version != kernelVersion
        reordered = kernelVersion.map { (kernel, $0) }
        OneDNNStatus.check(nk_conv_forward_cached(plan, input, kernel, bias, output, refresh ? 1 : 0), "convolution forward")
    }

    /// Kernel and bias gradients (overwritten) from the input and d(loss)/d(pre-activation).
    public func weightGradients(input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                kernel: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?) {
        ComputeThreads.adopt()
        OneDNNStatus.check(nk_conv_backward_weights(plan, input, gradOutput, kernel, bias), "convolution weight gradient")
    }

    /// d(loss)/d(input) (overwritten) from d(loss)/d(pre-activation).
    public func inputGradient(_ gradOutput: UnsafePointer<Float>, kernel: UnsafePointer<Float>,
                              into gradInput: UnsafeMutablePointer<Float>) {
        ComputeThreads.adopt()
        OneDNNStatus.check(nk_conv_backward_data(plan, gradOutput, kernel, gradInput), "convolution input gradient")
    }
}

extension WindowGeometry {
    /// The C plan's geometry for `batch` samples; the trailing pads make
    /// oneDNN's output extents equal ours (never negative: oneDNN floors).
    func oneDNN(batch: Int, outputChannels: Int, groups: Int = 1) -> nk_conv_geometry {
        let padBottom = max((outputHeight - 1) * strideY + spanHeight - inputHeight - padTop, 0)
        let padRight = max((outputWidth - 1) * strideX + spanWidth - inputWidth - padLeft, 0)
        return nk_conv_geometry(
            batch: Int64(batch), height: Int64(inputHeight), width: Int64(inputWidth),
            channels: Int64(channels), filters: Int64(outputChannels),
            kernel_h: Int64(windowHeight), kernel_w: Int64(windowWidth),
            stride_y: Int64(strideY), stride_x: Int64(strideX),
            pad_top: Int64(padTop), pad_left: Int64(padLeft), pad_bottom: Int64(padBottom), pad_right: Int64(padRight),
            out_h: Int64(outputHeight), out_w: Int64(outputWidth),
            groups: Int64(groups), dilate_y: Int64(dilationY - 1), dilate_x: Int64(dilationX - 1))
    }
}
