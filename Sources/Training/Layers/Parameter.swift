import CPUBudget

/// One named weight of a layer (a kernel, a bias, a moving mean) and its
/// gradient, in buffers with stable addresses that optimizers update in place.
///
/// A parameter made with an `initializer` draws its values on first use of
/// ``value``, and allocates ``gradient`` on first use too: building a large
/// model whose weights a file replaces, or whose structure is all that is
/// asked for, costs no random draws.
public final class Parameter {
    /// Name within the layer, as Keras spells it: `kernel`, `bias`, `gamma`,
    /// `beta`, `moving_mean`, `moving_variance`.
    public let name: String
    /// Keras shape, e.g. `(kh, kw, cin, cout)` for a convolution kernel.
    public let shape: [Int]
    /// False for statistics that training updates without gradients.
    public let isTrainable: Bool
    /// The values (drawn by the initializer on first use).
    public var value: ScratchBuffer {
        if let storage { return storage }
        let buffer = ScratchBuffer(count: count)
        if let initializer {
            let values = initializer()
            precondition(values.count == count, "\(name): \(values.count) values for shape \(shape)")
            buffer.pointer.update(from: values, count: count)
        }
        storage = buffer
        initializer = nil
        return buffer
    }
    /// d(loss)/d(value) of the last backward pass.
    public private(set) lazy var gradient = ScratchBuffer(count: isTrainable ? count : 0)
    private var storage: ScratchBuffer?
    /// Draws the initial values; nil once drawn or replaced.
    private var initializer: (() -> [Float])?

    /// A parameter filled with `initialValues` (count = product of `shape`).
    public convenience init(name: String, shape: [Int], isTrainable: Bool = true, initialValues: [Float]) {
        precondition(initialValues.count == shape.reduce(1, *), "\(name): \(initialValues.count) values for shape \(shape)")
        self.init(name: name, shape: shape, isTrainable: isTrainable, initializer: { initialValues })
    }

    /// A parameter whose values `initializer` returns (count = product of
    /// `shape`) when they are first used.
    public init(name: String, shape: [Int], isTrainable: Bool = true, initializer: @escaping () -> [Float]) {
        self.name = name
        self.shape = shape
        self.isTrainable = isTrainable
        self.initializer = initializer
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Replaces the values (`count` of them) without drawing the initial ones.
    public func assign(_ values: [Float]) {
        precondition(values.count == count, "\(name): \(values.count) values for shape \(shape)")
        if storage == nil {
            initializer = nil
            storage = ScratchBuffer(count: count)
        }
        storage!.pointer.update(from: values, count: count)
    }

    /// A copy of the values as a tensor; setting copies in (shapes must match).
    public var tensor: Tensor {
        get { Tensor(shape: shape, scalars: value.array(count: count)) }
        set {
            precondition(newValue.shape == shape, "\(name): shape \(newValue.shape) != \(shape)")
            newValue.withUnsafeBufferPointer { value.pointer.update(from: $0.baseAddress!, count: count) }
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
