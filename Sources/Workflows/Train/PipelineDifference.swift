import Yams

/// The keys whose values differ between two pipeline files (as YAML texts),
/// each as `path: old → new`, for a resumed run that must use the file its
/// run started with.
enum PipelineDifference {
    /// The differing keys (dotted paths, `[i]` for list items), sorted; empty when the files agree.
    static func keys(from old: String, to new: String) throws -> [String] {
        let before = flatten(try Yams.load(yaml: old)), after = flatten(try Yams.load(yaml: new))
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : "\(key): \(before[key] ?? "(absent)") → \(after[key] ?? "(absent)")"
        }
    }

    /// A stored pipeline (the resolved YAML a checkpoint carries) read by today's parser and
    /// written again, so keys added since with their defaults are filled in as they are in a
    /// file resolved now and do not count as differences; the text itself when it no longer parses.
    static func resolvedByThisVersion(_ stored: String) -> String {
        guard let pipeline = try? PipelineFileLoader.parse(yaml: stored, file: "the checkpoint's pipeline"),
              let yaml = try? YAMLEncoder().encode(pipeline) else { return stored }
        return yaml
    }

    /// Every leaf value of a YAML tree by its path.
    private static func flatten(_ node: Any?, path: String = "") -> [String: String] {
        switch node {
        case let mapping as [AnyHashable: Any]:
            var leaves: [String: String] = [:]
            for (key, value) in mapping {
                leaves.merge(flatten(value, path: path.isEmpty ? "\(key)" : path + ".\(key)")) { $1 }
            }
            return leaves
        case let list as [Any]:
            var leaves: [String: String] = [:]
            for (index, value) in list.enumerated() { leaves.merge(flatten(value, path: "\(path)[\(index)]")) { $1 } }
            return leaves.isEmpty ? [path: "[]"] : leaves
        case nil:
            return [path: "null"]
        case let value?:
            return [path: "\(value)"]
        }
    }
}
