import Training

/// Reads one Keras layer's `config` object: typed getters that remember
/// which keys were read, and a final check that every other key is one a
/// loaded model may ignore (initializers, a seed, null, Keras's defaults).
struct LayerConfigReader {
    let file: String
    let className: String
    let name: String
    private let config: [String: JSONValue]
    private var read: Set<String> = ["name", "trainable", "dtype"]

    init(file: String, className: String, config: [String: JSONValue]) throws {
        self.file = file
        self.className = className
        self.config = config
        name = config["name"]?.string ?? className
        if let dtype = config["dtype"], !Self.isFloat32(dtype) {
            throw unsupported("dtype", dtype)
        }
    }

    /// The layer's `trainable` flag (true when absent).
    var trainable: Bool { config["trainable"]?.bool ?? true }

    func unsupported(_ argument: String, _ value: JSONValue) -> KerasModelError {
        .unsupportedArgument(file: file, layer: name, argument: argument, value: value.text)
    }

    func invalid(_ reason: String) -> KerasModelError {
        .invalidModel(file: file, reason: "layer '\(name)' (\(className)): \(reason)")
    }

    /// The raw value of `key` (nil when absent or null), marked as read.
    mutating func value(_ key: String) -> JSONValue? {
        read.insert(key)
        guard let value = config[key], !value.isNull else { return nil }
        return value
    }

    mutating func int(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard let value = value(key) else {
            if let fallback { return fallback }
            throw invalid("'\(key)' is missing")
        }
        guard let number = value.int else { throw unsupported(key, value) }
        return number
    }

    mutating func float(_ key: String, default fallback: Float) throws -> Float {
        guard let value = value(key) else { return fallback }
        guard let number = value.number else { throw unsupported(key, value) }
        return Float(number)
    }

    mutating func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = value(key) else { return fallback }
        guard let flag = value.bool else { throw unsupported(key, value) }
        return flag
    }

    /// A size given as one integer or a list of two.
    mutating func pair(_ key: String, default fallback: (Int, Int)? = nil) throws -> (Int, Int) {
        guard let value = value(key) else {
            if let fallback { return fallback }
            throw invalid("'\(key)' is missing")
        }
        if let single = value.int { return (single, single) }
        guard let items = value.array?.compactMap(\.int), items.count == 2 else { throw unsupported(key, value) }
        return (items[0], items[1])
    }

    /// Integers (a list, or one integer as a list of one).
    mutating func ints(_ key: String) throws -> [Int]? {
        guard let value = value(key) else { return nil }
        if let single = value.int { return [single] }
        guard let items = value.array, case let numbers = items.compactMap(\.int), numbers.count == items.count else {
            throw unsupported(key, value)
        }
        return numbers
    }

    /// Floats (a list, or one number as a list of one).
    mutating func floats(_ key: String) throws -> [Float]? {
        guard let value = value(key) else { return nil }
        if let single = value.number { return [Float(single)] }
        guard let items = value.array, case let numbers = items.compactMap(\.number), numbers.count == items.count else {
            throw unsupported(key, value)
        }
        return numbers.map(Float.init)
    }

    mutating func padding() throws -> Padding {
        guard let value = value("padding") else { return .valid }
        guard let text = value.string, let mode = Padding(rawValue: text) else { throw unsupported("padding", value) }
        return mode
    }

    /// The `activation` argument (a Keras activation name).
    mutating func activation(_ key: String = "activation") throws -> ActivationFunction {
        guard let value = value(key) else { return .linear }
        guard let text = value.string, let function = ActivationFunction.named(text) else { throw unsupported(key, value) }
        return function
    }

    /// Requires `key` to be absent, null or `expected` (a Keras default Augment implements).
    mutating func expect(_ key: String, _ expected: JSONValue...) throws {
        guard let value = value(key) else { return }
        guard expected.contains(value) else { throw unsupported(key, value) }
    }

    /// Throws on the first key that was not read and that matters: anything
    /// but initializers, a seed, and null values.
    func finish() throws {
        for key in config.keys.sorted() where !read.contains(key) {
            let value = config[key]!
            if value.isNull || key.hasSuffix("_initializer") || key == "seed" { continue }
            throw unsupported(key, value)
        }
    }

    /// Keras 3 writes a DTypePolicy object, Keras 2 a string.
    private static func isFloat32(_ dtype: JSONValue) -> Bool {
        if dtype.isNull { return true }
        if let text = dtype.string { return text == "float32" }
        return dtype["config"]?["name"]?.string == "float32"
    }
}
