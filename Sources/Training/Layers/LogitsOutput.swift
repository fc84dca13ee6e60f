/// A layer whose output is an activation of values it keeps, the logits: a
/// classifier's head whose softmax or sigmoid a cross-entropy loss sees through.
///
/// Keras computes cross-entropy "from probabilities" that come straight out
/// of a softmax (or a sigmoid) from the logits underneath (the TensorFlow
/// backend's `_get_logits`), with no clipping: a confidently wrong sample still
/// gets the full gradient `p − t`, where clipped probabilities give it none.
/// ``Sequential`` does the same through this protocol and
/// ``Loss/logitsForm(after:)``.
protocol LogitsOutput: UnaryLayer {
    /// The activation applied on top of ``logits``.
    var outputActivation: ActivationFunction { get }
    /// The pre-activation values of the last forward pass, valid when
    /// ``outputActivation`` is a softmax or a sigmoid.
    var logits: UnsafePointer<Float> { get }
    /// The backward pass from d(loss)/d(logits): the activation's derivative
    /// is already in the gradient.
    func backward(logitsGradient: UnsafePointer<Float>, batch: Int, needsInputGradient: Bool) -> UnsafePointer<Float>?
}

extension ActivationFunction {
    /// Whether a loss may be computed from the values under this activation
    /// (see ``LogitsOutput``), so a layer keeps them.
    var keepsLogits: Bool { self == .softmax || self == .sigmoid }
}
