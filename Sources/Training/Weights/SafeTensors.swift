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
            tensor.storage.withUnsafeBufferPointer { values in
                for value in values {
                    var bits = value.bitPattern.littleEndian
                    withUnsafeBytes(of: &bits) { file.append(contentsOf: $0) }
                }
            }
        }
        return file
    }

    /// Reads every F32 tensor of the file at `path`, by name.
    public static func read(from path: String) throws -> [String: Tensor] {
        try readWithMetadata(from: path).tensors
    }

    /// Reads every F32 tensor of the file at `path`, by name, and the header's
    /// `__metadata__` strings.
    public static func readWithMetadata(from path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TrainingError.weightsFile(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        func fail(_ reason: String) -> TrainingError { .weightsFile(path: path, reason: reason) }
        guard data.count >= 8 else { throw fail("shorter than the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else { throw fail("header length \(headerLength) exceeds the file") }
        let start = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<start)) as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        var tensors: [String: Tensor] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw fail("entry '\(name)' lacks dtype, shape or data_offsets") }
            guard dtype == "F32" else { throw fail("tensor '\(name)' has dtype \(dtype); only F32 is supported") }
            let count = shape.reduce(1, *)
            guard shape.allSatisfy({ $0 >= 0 }), offsets[1] - offsets[0] == count * 4, offsets[0] >= 0,
                  start + offsets[1] <= data.count
            else { throw fail("tensor '\(name)' has offsets \(offsets) that do not fit shape \(shape) or the file") }
            var values = [Float](repeating: 0, count: count)
            data.withUnsafeBytes { raw in
                for i in 0..<count {
                    values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + offsets[0] + 4 * i, as: UInt32.self)))
                }
            }
            tensors[name] = Tensor(shape: shape, storage: values)
        }
        guard let metadata = (header["__metadata__"] ?? [String: String]()) as? [String: String] else {
            throw fail("__metadata__ is not an object of strings")
        }
        return (tensors, metadata)
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
