/// How a sliding window treats the border, as Keras's `padding=`.
public enum Padding: String, Sendable, CaseIterable {
    /// No padding: windows lie fully inside the input.
    case valid
    /// Zero padding so that `output = ceil(input / stride)`; the extra row or
    /// column goes to the bottom/right, as TensorFlow does.
    case same

    /// Output extent and leading pad along one axis.
    public func output(input: Int, window: Int, stride: Int) -> (extent: Int, padBefore: Int) {
        switch self {
        case .valid:
            return (input >= window ? (input - window) / stride + 1 : 0, 0)
        case .same:
            let extent = (input + stride - 1) / stride
            let total = max((extent - 1) * stride + window - input, 0)
            return (extent, total / 2)
        }
    }
}
