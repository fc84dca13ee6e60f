import CPUBudget

/// One named weight of a layer (a kernel, a bias, a moving mean) and its
/// gradient, in buffers with stable addresses that optimizers update in place.
public final class Parameter {
    /// Name within the layer, as Keras spells it: `kernel`, `bias`, `gamma`,
    /// `beta`, `moving_mean`, `moving_variance`.
    public let name: String
    /// Keras shape, e.g. `(kh, kw, cin, cout)` for a convolution kernel.
    public let shape: [Int]
    /// False for statistics that training updates without gradients.
    public let isTrainable: Bool
    /// The values.
    public let value: ScratchBuffer
    /// d(loss)/d(value) of the last backward pass.
    public let gradient: ScratchBuffer

    /// A parameter filled with `initialValues` (count = product of `shape`).
    public init(name: String, shape: [Int], isTrainable: Bool = true, initialValues: [Float]) {
        let count = shape.reduce(1, *)
        precondition(initialValues.count == count, "\(name): \(initialValues.count) values for shape \(shape)")
        self.name = name
        self.shape = shape
        self.isTrainable = isTrainable
        value = ScratchBuffer(count: count)
        gradient = ScratchBuffer(count: isTrainable ? count : 0)
        value.pointer.update(from: initialValues, count: count)
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// A copy of the values as a tensor; setting copies in (shapes must match).
    public var tensor: Tensor {
        get { Tensor(shape: shape, storage: value.array(count: count)) }
        set {
            precondition(newValue.shape == shape, "\(name): shape \(newValue.shape) != \(shape)")
            value.pointer.update(from: newValue.storage, count: count)
        }
    }
}

extension Parameter {
    /// Copies of a trainable parameter that training may hold at once: its values,
    /// its gradient and up to two optimizer moments (Adam, RMSprop with momentum).
    static let copiesInTraining = 4

    /// Throws before a layer allocates a parameter of `shape` whose copies in training would
    /// exceed `MemoryLimit.current`: `dense: {units: 2000000000}` is refused, not attempted.
    static func checkMemory(layer: String, name: String, shape: [Int]) throws(MemoryLimitError) {
        let bytes = MemoryLimit.product(shape + [MemoryLayout<Float>.size, copiesInTraining])
        let elements = MemoryLimit.product(shape)
        try MemoryLimit.current.check(bytes, for: "layer '\(layer)' \(name) \(shape) (\(elements == .max ? "too many" : String(elements)) "
                                      + "floats, with its gradient and optimizer moments)")
    }
}
