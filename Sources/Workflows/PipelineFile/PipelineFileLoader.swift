import Foundation
import Imaging
import Yams

/// Reads pipeline files (`pipelines/*.yaml`) into ``PipelineFile`` values.
///
/// Unknown keys, wrong types and out-of-range values become a ``PipelineFileError``
/// naming the file, the line and the key:
///
/// ```swift
/// let pipeline = try PipelineFileLoader.load(path: "pipelines/digits-cnn.yaml")
/// print(pipeline.data.batchSize)
/// ```
public enum PipelineFileLoader {
    /// Reads and decodes the file at `path`; relative paths inside it are
    /// resolved against the file's own folder.
    public static func load(path: String) throws(PipelineFileError) -> PipelineFile {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path, limit: maximumFileSize + 1)
        } catch {
            throw PipelineFileError(file: path, reason: "cannot read the file: \(error.message)")
        }
        guard bytes.count <= maximumFileSize else {
            throw PipelineFileError(file: path, reason: "larger than \(maximumFileSize) bytes: not a pipeline file")
        }
        var pipeline = try parse(bytes: bytes, file: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        pipeline.resolvePaths(relativeTo: folder)
        pipeline.sourcePath = path
        return pipeline
    }

    /// Pipeline files are a few KiB; anything over 1 MiB is refused unread.
    static let maximumFileSize = 1 << 20

    /// Decodes pipeline YAML given as bytes, which must be UTF-8; `file` only labels errors.
    public static func parse(bytes: some Collection<UInt8>, file: String) throws(PipelineFileError) -> PipelineFile {
        try parse(yaml: YAMLText.decode(bytes, file: file), file: file)
    }

    /// Decodes pipeline YAML; `file` only labels errors. Paths are left as written.
    public static func parse(yaml: String, file: String) throws(PipelineFileError) -> PipelineFile {
        try YAMLText.checkNesting(yaml, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw PipelineFileError(file: file, reason: "not valid YAML: \(error)")
        }
        guard let root, root.mapping != nil else {
            throw PipelineFileError(file: file, line: 1, reason: "a pipeline file is a mapping with a 'data' section")
        }
        try YAMLText.checkTree(root, file: file)
        do {
            return try YAMLDecoder().decode(PipelineFile.self, from: yaml)
        } catch let error as DecodingError {
            throw locate(error, in: root, file: file)
        } catch {
            throw PipelineFileError(file: file, reason: "\(error)")
        }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> PipelineFileError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.joined(separator: ", ")
            return PipelineFileError(file: file, line: mark.line, column: mark.column,
                                     reason: "not valid YAML: \(what)")
        default:
            return PipelineFileError(file: file, reason: "not valid YAML: \(error)")
        }
    }

    private static func locate(_ error: DecodingError, in root: Node, file: String) -> PipelineFileError {
        let path: [CodingKey]
        let reason: String
        switch error {
        case let .typeMismatch(type, context):
            path = context.codingPath
            reason = "expected \(describe(type))" + found(at: path, in: root)
        case let .valueNotFound(type, context):
            path = context.codingPath
            let what = found(at: path, in: root)
            reason = "expected \(describe(type))" + (what.isEmpty ? ", found nothing" : what)
        case let .keyNotFound(key, context):
            path = context.codingPath
            reason = "missing required key '\(key.stringValue)'"
        case let .dataCorrupted(context):
            path = context.codingPath
            reason = context.debugDescription
        @unknown default:
            path = []
            reason = "\(error)"
        }
        let mark = PipelineFileLoader.mark(of: path, in: root)
        let key = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        return PipelineFileError(file: file, line: mark?.line, column: mark?.column, key: key, reason: reason)
    }

    /// The position of the deepest node along `path` (a mapping key's own position for its last step).
    static func mark(of path: [CodingKey], in root: Node) -> Mark? {
        var node = root
        var best = root.mark
        for step in path {
            if let index = step.intValue, let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
                best = node.mark ?? best
            } else if let mapping = node.mapping,
                      let pair = mapping.first(where: { $0.key.string == step.stringValue }) {
                best = pair.key.mark ?? best
                node = pair.value
            } else {
                break
            }
        }
        return best
    }

    private static func found(at path: [CodingKey], in root: Node) -> String {
        var node: Node? = root
        for step in path {
            if let index = step.intValue, let sequence = node?.sequence, index < sequence.count {
                node = sequence[index]
            } else {
                node = node?.mapping?.first(where: { $0.key.string == step.stringValue })?.value
            }
        }
        switch node {
        case .scalar(let scalar)?: return ", found '\(scalar.string)'"
        case .mapping?: return ", found a mapping"
        case .sequence?: return ", found a list"
        default: return ""
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        case is Node.Scalar.Type: return "a single value"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasSuffix("Sequence") { return "a list" }
            if name.hasPrefix("Dictionary") || name.hasSuffix("Mapping") { return "a mapping" }
            return name
        }
    }
}
