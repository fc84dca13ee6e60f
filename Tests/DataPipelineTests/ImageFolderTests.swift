import Foundation
import Testing
import TestSupport
@testable import DataPipeline

/// The `flow_from_directory` case of the Keras reference (keras-idg/cases.json).
struct FlowFromDirectoryCase: Decodable {
    struct Run: Decodable {
        var tag: String
        var validation_split: Double
        var subset: String?
        var classes_arg: [String]?
        var batch_size: Int
        var class_indices: [[IndexOrName]]
        var filenames: [String]
        var classes: [Int]
        var samples: Int
        var len: Int
    }

    enum IndexOrName: Decodable {
        case name(String), index(Int)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .name(text) } else { self = .index(try container.decode(Int.self)) }
        }
    }

    var tree_files: [String]
    var runs: [Run]

    static func load() throws -> FlowFromDirectoryCase {
        let url = RepositoryFiles.fixture("DataPipelineTests", "flow_from_directory.json")
        return try JSONDecoder().decode(FlowFromDirectoryCase.self, from: Data(contentsOf: url))
    }
}

@Suite struct ImageFolderTests {
    @Test func matchesKerasOnTheReferenceTree() throws {
        let reference = try FlowFromDirectoryCase.load()
        let tree = try TemporaryDirectory()
        for file in reference.tree_files { try tree.write(file, "x") }
        #expect(reference.runs.count == 7)
        for run in reference.runs {
            let folder = try ImageFolder(directory: tree.path, classes: run.classes_arg,
                                         validationSplit: run.validation_split,
                                         subset: run.subset.map { try #require(Subset(rawValue: $0)) })
            let expectedNames = run.class_indices.map { pair -> String in
                if case .name(let name) = pair[0] { return name }
                return ""
            }
            #expect(folder.classNames == expectedNames, "\(run.tag)")
            #expect(folder.filenames == run.filenames, "\(run.tag)")
            #expect(folder.classes == run.classes, "\(run.tag)")
            #expect(folder.count == run.samples, "\(run.tag)")
            let loader = try DataLoader(source: folder, renderer: ClosureRenderer(sampleShape: [1]) { _, _, _ in },
                                        options: LoaderOptions(batchSize: run.batch_size))
            #expect(loader.batchCount == run.len, "\(run.tag)")
        }
    }

    @Test func categoricalTargetsAreOneHot() throws {
        let tree = try TemporaryDirectory()
        try tree.write("a/1.png")
        try tree.write("b/2.png")
        try tree.makeDirectory("c")
        let folder = try ImageFolder(directory: tree.path)
        #expect(folder.targets == TargetTable(rowShape: [3], values: [1, 0, 0, 0, 1, 0]))
        #expect(folder.classIndices == ["a": 0, "b": 1, "c": 2])
        #expect(folder.path(of: 1) == tree.path + "/b/2.png")
        let sparse = try ImageFolder(directory: tree.path, classMode: .sparse)
        #expect(sparse.targets == TargetTable(rowShape: [], values: [0, 1]))
    }

    @Test func linksAreFollowedOnlyWhenAskedAndLoopsEnd() throws {
        let tree = try TemporaryDirectory()
        try tree.write("outside/far.png")
        try tree.write("data/a/near.png")
        try tree.link("data/a/linked", to: tree.path + "/outside")
        try tree.link("data/a/loop", to: tree.path + "/data/a")
        let plain = try ImageFolder(directory: tree.path + "/data")
        #expect(plain.filenames == ["a/near.png"])
        let followed = try ImageFolder(directory: tree.path + "/data", followLinks: true)
        #expect(followed.filenames == ["a/near.png", "a/linked/far.png"])
    }

    @Test func badParametersAreErrors() throws {
        let tree = try TemporaryDirectory()
        try tree.write("a/1.png")
        try tree.write("b/1.png")
        try tree.write("c/1.png")
        #expect(throws: DataPipelineError.self) { try ImageFolder(directory: tree.path, classes: ["a", "missing"]) }
        #expect(throws: DataPipelineError.self) { try ImageFolder(directory: tree.path, classes: ["a", "a"]) }
        #expect(throws: DataPipelineError.self) { try ImageFolder(directory: tree.path, classMode: .binary) }
        #expect(throws: DataPipelineError.self) { try ImageFolder(directory: tree.path, validationSplit: 1) }
        #expect(throws: DataPipelineError.self) { try ImageFolder(directory: tree.path + "/nothing") }
        let binary = try ImageFolder(directory: tree.path, classes: ["c", "a"], classMode: .binary)
        #expect(binary.targets == TargetTable(rowShape: [], values: [0, 1]))
    }

    @Test func walkOrderIsFullPathStringOrder() throws {
        let tree = try TemporaryDirectory()
        for file in ["k/a/b/1.png", "k/a b/2.png", "k/a-1/3.png", "k/a/4.png", "k/IMG_9.png", "k/IMG_10.png", "k/sketch_png", "k/x.apng"] {
            try tree.write(file)
        }
        let folder = try ImageFolder(directory: tree.path)
        #expect(folder.filenames == ["k/IMG_10.png", "k/IMG_9.png", "k/sketch_png", "k/x.apng",
                                     "k/a/4.png", "k/a b/2.png", "k/a-1/3.png", "k/a/b/1.png"])
    }
}
