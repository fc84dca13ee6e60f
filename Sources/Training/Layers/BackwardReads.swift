/// What a layer's backward pass reads of its forward pass: its inputs
/// (a convolution's weight gradient, batch normalisation's recomputed
/// x̂), its own output (a ReLU's mask, a sigmoid's derivative), or neither
/// (an `Add`, a padding). A training pass gives an output that no backward
/// pass will read to an arena planned by liveness (``TrainingLiveness``),
/// so it is freed once the last node reading it has run forward.
///
/// A conforming layer writes its output to a buffer of its own (from
/// ``ForwardContext/output(_:else:)``), never hands its input on as its
/// output. Layers that do not conform are taken to read both, and to
/// possibly hand their input on (Flatten does), which is always safe.
protocol BackwardReads {
    /// Whether the backward pass reads the inputs of the last forward pass.
    var backwardReadsInputs: Bool { get }
    /// Whether the backward pass reads the output of the last forward pass.
    var backwardReadsOutput: Bool { get }
}

/// A layer whose backward pass reads neither its inputs nor its output.
protocol BackwardReadsNothing: BackwardReads {}

extension BackwardReadsNothing {
    var backwardReadsInputs: Bool { false }
    var backwardReadsOutput: Bool { false }
}

/// A convolution: the weight gradient reads the input, a fused
/// activation's derivative the output.
extension FoldableConvolution where Self: BackwardReads {
    var backwardReadsInputs: Bool { true }
    var backwardReadsOutput: Bool { activation != .linear }
}

extension Conv2D: BackwardReads {}
extension DepthwiseConv2D: BackwardReads {}

extension BatchNormalization: BackwardReads {
    /// x̂ is recomputed from the input and the kept mean and inverse deviation.
    var backwardReadsInputs: Bool { true }
    var backwardReadsOutput: Bool { false }
}

extension ReLU: BackwardReads {
    /// The mask comes from the output whenever `maxValue` exceeds `threshold`.
    var backwardReadsInputs: Bool { !masksFromOutput }
    var backwardReadsOutput: Bool { masksFromOutput }
}

extension Activation: BackwardReads {
    /// gelu, silu and hard_silu need their input; the others their output only.
    var backwardReadsInputs: Bool { function.derivativeNeedsInput }
    var backwardReadsOutput: Bool { function != .linear }
}

extension ElementwiseMerge: BackwardReads {
    /// Sums and differences pass the gradient on; products and extremes read their inputs.
    var backwardReadsInputs: Bool { [.multiply, .maximum, .minimum].contains(operation) }
    var backwardReadsOutput: Bool { false }
}

extension ZeroPadding2D: BackwardReadsNothing {}
/// A training forward records the maxima. (The input is read only when the
/// pooling also runs a ReLU convolution's backward, whose output that
/// convolution keeps anyway: it reads it itself.)
extension MaxPooling2D: BackwardReadsNothing {}
extension GlobalAveragePooling2D: BackwardReadsNothing {}
