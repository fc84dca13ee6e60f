/// Image files named one by one, with no labels (class mode `.none`): sample
/// `i` is `paths[i]`. For previews and inference over files a user lists.
///
/// ```swift
/// let files = PathListSource(paths: ["cat.jpg", "dog.png"])
/// ```
public struct PathListSource: ImageFileSource {
    public let paths: [String]
    public var count: Int { paths.count }
    public var classMode: ClassMode { .none }
    public var targets: TargetTable { TargetTable(rowShape: [0], values: []) }
    public var sampleWeights: [Float]? { nil }

    public init(paths: [String]) {
        self.paths = paths
    }

    public func path(of index: Int) -> String { paths[index] }
}
