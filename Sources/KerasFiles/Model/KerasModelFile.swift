import CPUBudget
import Foundation
import Training
import ZIPFoundation

/// Whole Keras models: the `.keras` archive of Keras 3 (a zip of
/// `config.json`, `model.weights.h5` and `metadata.json`, read and written
/// through ZIPFoundation) and the legacy full-model `.h5` of Keras 2
/// (`model.save("x.h5")`: a `model_config` attribute beside `model_weights`).
///
/// ```swift
/// let model = try KerasModelFile.load("classifier.keras")   // architecture and weights
/// try model.fit(...)
/// try KerasModelFile.save(model, to: "classifier-tuned.keras")  // keras.saving.load_model reads it
/// ```
public enum KerasModelFile {
    /// The archive members Keras 3 writes.
    static let configMember = "config.json", weightsMember = "model.weights.h5", metadataMember = "metadata.json"

    /// The model in `path` (a `.keras` archive, or a legacy `.h5` holding a
    /// whole model), architecture rebuilt from its configuration and
    /// weights loaded. Throws ``KerasModelError`` for an unsupported layer or
    /// argument (naming it and the file), `TrainingError.weightsFile` for
    /// weights that do not fit.
    public static func load(_ path: String) throws -> Model {
        guard FileManager.default.fileExists(atPath: path) else {
            throw KerasModelError.invalidModel(file: path, reason: "no such file")
        }
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") { return try loadLegacy(path) }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw KerasModelError.invalidModel(file: path, reason: "not a zip archive (\(error))")
        }
        let config = try read(configMember, of: archive, path: path)
        guard let object = JSONValue.parse(config) else {
            throw KerasModelError.invalidModel(file: path, reason: "\(configMember) is not JSON")
        }
        let model = try KerasModelDecoding(file: path).model(object)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = directory.appendingPathComponent(weightsMember)
        try read(weightsMember, of: archive, path: path).write(to: weights)
        do {
            try model.loadKerasWeights(from: weights.path)
        } catch let TrainingError.weightsFile(_, reason) {
            throw TrainingError.weightsFile(path: "\(path)/\(weightsMember)", reason: reason)
        }
        return model
    }

    /// Saves `model` as a `.keras` archive that `keras.saving.load_model`
    /// loads: `config.json` (the model's Keras 3 configuration), `model.weights.h5`
    /// (Keras 3's weight layout) and `metadata.json`; written to a temporary
    /// file in the same folder, then renamed. Throws ``KerasModelError`` for
    /// a layer or setting Keras cannot express.
    public static func save(_ model: Model, to path: String) throws {
        let config = try KerasModelEncoding(file: path).object(model).text
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = directory.appendingPathComponent(weightsMember).path
        try model.saveKerasWeights(to: weights)
        let metadata: JSONValue = ["keras_version": "3.15.1", "date_saved": .string(Self.timestamp())]
        let members: [(String, Data)] = [
            (metadataMember, Data(metadata.text.utf8)), (configMember, Data(config.utf8)),
            (weightsMember, try Data(contentsOf: URL(fileURLWithPath: weights))),
        ]
        let zipped = directory.appendingPathComponent("model.keras")
        do {
            let archive = try Archive(url: zipped, accessMode: .create)
            for (name, data) in members {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
        } catch {
            throw KerasModelError.invalidModel(file: path, reason: "cannot write the archive: \(error)")
        }
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try? FileManager.default.removeItem(at: temporary)
            try FileManager.default.copyItem(at: zipped, to: temporary)
            guard rename(temporary.path, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw KerasModelError.invalidModel(file: path, reason: "cannot write the file: \(error.localizedDescription)")
        }
    }

    private static func loadLegacy(_ path: String) throws -> Model {
        let config = try HDF5Group.withLibrary { () -> String? in
            try HDF5Group.open(path).strings(attribute: "model_config")?.first
        }
        guard let config else {
            throw KerasModelError.invalidModel(file: path, reason: "no model_config attribute: a weights-only file (load it into a model with loadKerasWeights)")
        }
        guard let object = JSONValue.parse(Data(config.utf8)) else {
            throw KerasModelError.invalidModel(file: path, reason: "its model_config is not JSON")
        }
        let model = try KerasModelDecoding(file: path).model(object)
        try model.loadKerasWeights(from: path)
        return model
    }

    /// The bytes of archive member `name`, refused when it claims more than the memory limit.
    private static func read(_ name: String, of archive: Archive, path: String) throws -> Data {
        guard let entry = archive[name] else {
            throw KerasModelError.invalidModel(file: path, reason: "the archive has no \(name)")
        }
        guard entry.uncompressedSize <= UInt64(MemoryLimit.current.bytes) else {
            throw KerasModelError.invalidModel(file: path, reason: "\(name) claims \(MemoryLimit.format(Int(clamping: entry.uncompressedSize))), more than the memory limit")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry) { data.append($0) }
        } catch {
            throw KerasModelError.invalidModel(file: path, reason: "cannot extract \(name): \(error)")
        }
        return data
    }

    private static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("augment-keras-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
        return formatter.string(from: Date())
    }
}
