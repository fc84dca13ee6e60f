import Foundation

/// The whole state of a `fit` run in one safetensors file: every
/// ``Checkpointable`` piece of the run (model weights, optimiser, trainer,
/// `fit`'s position and history, each checkpointable callback), its tensors
/// named `piece/tensor` and its scalars as JSON in the header's
/// `__metadata__` under `piece:piece`, plus the caller's own strings
/// (``metadata``) under `run:key`.
///
/// Pieces are named `model`, `optimizer`, `trainer`, `fit`, and
/// `callback<i>.<Type>` for the i-th callback of the run, so a checkpoint
/// restores only into a run with the same checkpointable callbacks.
struct RunCheckpoint {
    /// Each piece's state, by piece name.
    var pieces: [String: CheckpointState]
    /// The caller's strings (``BackupAndRestore/metadata``).
    var metadata: [String: String]

    static let version = "1"

    /// The checkpointable pieces of the run that `context` describes, by name.
    static func pieces(of context: TrainingContext) throws -> [(name: String, piece: any Checkpointable)] {
        guard let trainer = context.model.trainer else { throw TrainingError.notCompiled }
        let optimizer: any Checkpointable = context.optimizer
        var pieces: [(String, any Checkpointable)] = [("model", context.model), ("optimizer", optimizer),
                                                      ("trainer", trainer), ("fit", context.progress)]
        for (index, callback) in context.callbacks.enumerated() {
            if let piece = callback as? any Checkpointable { pieces.append(("callback\(index).\(type(of: callback))", piece)) }
        }
        return pieces
    }

    /// The state of every piece of the run now.
    init(capturing context: TrainingContext, metadata: [String: String]) throws {
        var pieces: [String: CheckpointState] = [:]
        for (name, piece) in try Self.pieces(of: context) { pieces[name] = try piece.checkpointState(context: context) }
        self.pieces = pieces
        self.metadata = metadata
    }

    /// Puts every piece of the run back. Throws, naming the pieces, when the
    /// checkpoint's pieces are not the run's.
    func restore(into context: TrainingContext) throws {
        let targets = try Self.pieces(of: context)
        let expected = Set(targets.map(\.name)), present = Set(pieces.keys)
        guard expected == present else {
            let missing = expected.subtracting(present).sorted(), extra = present.subtracting(expected).sorted()
            throw TrainingError.checkpoint(reason: "it does not fit this run's model, optimiser and callbacks"
                + (missing.isEmpty ? "" : "; it lacks \(missing.joined(separator: ", "))")
                + (extra.isEmpty ? "" : "; it has \(extra.joined(separator: ", ")) that this run does not"))
        }
        for (name, piece) in targets {
            do {
                try piece.restore(from: pieces[name]!, context: context)
            } catch let TrainingError.checkpoint(reason) {
                throw TrainingError.checkpoint(reason: "\(name): \(reason)")
            }
        }
    }

    /// The safetensors bytes of the checkpoint.
    func encoded() throws -> Data {
        var tensors: [(name: String, tensor: Tensor)] = []
        var header = ["augment:checkpoint": Self.version]
        for name in pieces.keys.sorted() {
            let state = pieces[name]!
            header["piece:" + name] = String(decoding: state.json, as: UTF8.self)
            for key in state.tensors.keys.sorted() { tensors.append((name + "/" + key, state.tensors[key]!)) }
        }
        for (key, value) in metadata { header["run:" + key] = value }
        return try SafeTensors.encode(tensors, metadata: header)
    }

    /// Reads the checkpoint at `path`.
    /// - Throws: ``TrainingError/weightsFile(path:reason:)`` for an unreadable or foreign file.
    init(contentsOf path: String) throws {
        let (tensors, header) = try SafeTensors.readWithMetadata(from: path)
        guard let version = header["augment:checkpoint"] else {
            throw TrainingError.weightsFile(path: path, reason: "not an augment checkpoint (no augment:checkpoint in its header)")
        }
        guard version == Self.version else {
            throw TrainingError.weightsFile(path: path, reason: "checkpoint version \(version); this build reads version \(Self.version)")
        }
        var pieces: [String: CheckpointState] = [:]
        var metadata: [String: String] = [:]
        for (key, value) in header {
            if key.hasPrefix("piece:") {
                pieces[String(key.dropFirst(6))] = CheckpointState(json: Data(value.utf8), tensors: [:])
            } else if key.hasPrefix("run:") {
                metadata[String(key.dropFirst(4))] = value
            }
        }
        for (name, tensor) in tensors {
            guard let slash = name.firstIndex(of: "/"), pieces[String(name[..<slash])] != nil else {
                throw TrainingError.weightsFile(path: path, reason: "tensor '\(name)' belongs to no piece of the checkpoint")
            }
            pieces[String(name[..<slash])]!.tensors[String(name[name.index(after: slash)...])] = tensor
        }
        self.pieces = pieces
        self.metadata = metadata
    }
}
