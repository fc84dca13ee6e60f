import Foundation

/// Reads and writes the safetensors format: an 8-byte little-endian header
/// length, a JSON header `{"name": {"dtype": "F32", "shape": [...],
/// "data_offsets": [begin, end]}}` padded with spaces to 8 bytes, then the
/// little-endian `Float32` data. Python reads it with
/// `safetensors.numpy.load_file(path)`.
public enum SafeTensors {
    /// Writes `tensors` (names unique) to `path`, data in the given order.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], to path: String) throws {
        let file = try encode(tensors)
        do {
            try file.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TrainingError.weightsFile(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// The bytes of a safetensors file holding `tensors` (names unique), data in the given
    /// order, and `metadata` (the header's `__metadata__` strings, beside `format: augment`).
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = ["__metadata__": metadata.merging(["format": "augment"]) { _, format in format }]
        var offset = 0
        for (name, tensor) in tensors {
            let bytes = tensor.count * 4
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + bytes]]
            offset += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        while json.count % 8 != 0 { json.append(0x20) }
        var file = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { file.append(contentsOf: $0) }
        file.append(json)
        file.reserveCapacity(file.count + offset)
        for (_, tensor) in tensors {
            tensor.withUnsafeBufferPointer { values in
                for value in values {
                    var bits = value.bitPattern.littleEndian
                    withUnsafeBytes(of: &bits) { file.append(contentsOf: $0) }
                }
            }
        }
        return file
    }

    /// Reads every F32 tensor of the file at `path`, by name.
    /// - Throws: `TrainingError.weightsFile` naming the file: not a regular file,
    ///   unreadable, or a header that does not describe its data (see ``decode(_:path:)``).
    public static func read(from path: String) throws -> [String: Tensor] {
        try readWithMetadata(from: path).tensors
    }

    /// Reads every F32 tensor of the file at `path`, by name, and the header's
    /// `__metadata__` strings.
    /// - Throws: `TrainingError.weightsFile` naming the file: not a regular file,
    ///   unreadable, or a header that does not describe its data (see ``decode(_:path:)``).
    public static func readWithMetadata(from path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        var status = stat()
        // A FIFO or a device (`/dev/zero`) would block or never end; only regular files are read.
        guard stat(path, &status) == 0 else {
            throw TrainingError.weightsFile(path: path, reason: "cannot read: \(String(cString: strerror(errno)))")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw TrainingError.weightsFile(path: path, reason: "not a regular file")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TrainingError.weightsFile(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try decodeWithMetadata(data, path: path)
    }

    /// Decodes the contents of a safetensors file; `path` only labels errors.
    ///
    /// Every length, shape and offset in the header is checked against the
    /// data, without overflow, before any tensor is allocated: a header that
    /// claims more than the file holds is refused, not trusted.
    public static func decode(_ data: Data, path: String) throws -> [String: Tensor] {
        try decodeWithMetadata(data, path: path).tensors
    }

    /// ``decode(_:path:)`` and the header's `__metadata__` strings.
    public static func decodeWithMetadata(_ data: Data, path: String) throws
        -> (tensors: [String: Tensor], metadata: [String: String]) {
        func fail(_ reason: String) -> TrainingError { .weightsFile(path: path, reason: reason) }
        guard data.count >= 8 else { throw fail("shorter than the 8-byte header length") }
        let bytes = [UInt8](data.prefix(8))
        let headerLength = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("header length \(headerLength) exceeds the file's \(data.count - 8) bytes after it")
        }
        let start = 8 + Int(headerLength)
        let headerBytes = data.subdata(in: data.startIndex + 8..<data.startIndex + start)
        guard let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        let available = data.count - start
        var tensors: [String: Tensor] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail("entry '\(name)' lacks dtype, shape or data_offsets") }
            guard dtype == "F32" else { throw fail("tensor '\(name)' has dtype \(dtype); only F32 is supported") }
            guard let byteCount = float32ByteCount(shape) else {
                throw fail("tensor '\(name)' has shape \(shape), which is negative or too large")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin, end <= available, end - begin == byteCount else {
                throw fail("tensor '\(name)' has data_offsets \(offsets), which do not fit shape \(shape) "
                           + "(\(byteCount) bytes) within the file's \(available) bytes of data")
            }
            let values = data.withUnsafeBytes { raw in
                [Float](unsafeUninitializedCapacity: byteCount / 4) { buffer, initialized in
                    for i in 0..<buffer.count {
                        let bits = raw.loadUnaligned(fromByteOffset: start + begin + 4 * i, as: UInt32.self)
                        buffer[i] = Float(bitPattern: UInt32(littleEndian: bits))
                    }
                    initialized = buffer.count
                }
            }
            tensors[name] = Tensor(shape: shape, scalars: values)
        }
        guard let metadata = (header["__metadata__"] ?? [String: String]()) as? [String: String] else {
            throw fail("__metadata__ is not an object of strings")
        }
        return (tensors, metadata)
    }

    /// 4 × the product of `shape`, or nil when a dimension is negative or the product overflows.
    private static func float32ByteCount(_ shape: [Int]) -> Int? {
        var count = 4
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }
}

extension Model {
    /// Saves every parameter as `layer/parameter` in a safetensors file.
    public func saveWeights(to path: String) throws {
        try SafeTensors.write(namedWeights(), to: path)
    }

    /// Loads parameters by name; every parameter must be present with its shape.
    public func loadWeights(from path: String) throws {
        let tensors = try SafeTensors.read(from: path)
        for (key, parameter) in namedParameters() {
            guard let tensor = tensors[key] else {
                throw TrainingError.weightsFile(path: path, reason: "no tensor named '\(key)'")
            }
            guard tensor.shape == parameter.shape else {
                throw TrainingError.weightsFile(path: path, reason: "'\(key)' has shape \(tensor.shape), the model expects \(parameter.shape)")
            }
            parameter.tensor = tensor
        }
    }
}
