import CPUBudget
import Training
import Foundation
import Testing
import TestSupport
@testable import Workflows

/// One-line mistakes that validation accepts but memory cannot hold are refused against the
/// memory limit, naming the key, the bytes needed and the limit, before anything is allocated
/// (Fixtures/hostile/memory-*.yaml, made by scripts/make_hostile_fixtures.py).
@Suite struct MemoryLimitTests {
    static let limit = MemoryLimit(bytes: 4_000_000_000, origin: "test")
    static let advice = "; lower it, or raise the limit with training.memory_limit or --memory-limit"

    static let cases: [(file: String, message: String)] = [
        ("memory-batch-size.yaml", "data.batch_size: the batch pool (prefetch 2 + 1 buffers of batch_size 1000000000 × "
            + "28×28×1 floats) needs 9.4 TB, more than the memory limit of 4.0 GB (test)" + advice),
        ("memory-target-size.yaml", "data.target_size: the batch pool (prefetch 2 + 1 buffers of batch_size 64 × "
            + "16384×16384×3 floats) needs 618.5 GB, more than the memory limit of 4.0 GB (test)" + advice),
        ("memory-dense-units.yaml", "model.layers: layer 'dense' kernel [784, 2000000000] (1568000000000 floats, "
            + "with its gradient and optimizer moments) needs 25.1 TB, more than the memory limit of 4.0 GB (test)" + advice),
    ]

    @Test(arguments: cases.map(\.file))
    func refusedBeforeAllocating(_ file: String) throws {
        let path = RepositoryFiles.fixture("WorkflowsTests", "hostile/" + file).path
        let pipeline = try PipelineFileLoader.load(path: path)
        let folder = try TemporaryDirectory()
        var run = TrainingRun(pipeline: pipeline, outputDirectory: folder.path, output: ProgressOutput(isTerminal: false) { _ in })
        run.memoryLimit = Self.limit
        let error = #expect(throws: MemoryLimitError.self) { _ = try run.run() }
        #expect(error?.description == path + ": " + Self.cases.first { $0.file == file }!.message)
    }

    static let layerCases: [(file: String, message: String)] = [
        ("layer-units-0.yaml", ":9:7: model.layers[1]: invalid units = 0: must be positive"),
        ("layer-units-minus-5.yaml", ":9:7: model.layers[1]: invalid units = -5: must be positive"),
        ("layer-filters-1000000000.yaml", ": model.layers: layer 'conv2d' kernel [3, 3, 1, 1000000000] (9000000000 floats, "
            + "with its gradient and optimizer moments) needs 144.0 GB, more than the memory limit of 4.0 GB (test)" + advice),
    ]

    @Test(arguments: layerCases.map(\.file))
    func layerSizesOfZeroNegativeOrABillionAreNamed(_ file: String) throws {
        let path = RepositoryFiles.fixture("WorkflowsTests", "hostile/" + file).path
        var message = ""
        do {
            let pipeline = try PipelineFileLoader.load(path: path)
            let folder = try TemporaryDirectory()
            var run = TrainingRun(pipeline: pipeline, outputDirectory: folder.path, output: ProgressOutput(isTerminal: false) { _ in })
            run.memoryLimit = Self.limit
            _ = try run.run()
        } catch {
            message = "\(error)"
        }
        #expect(message == path + Self.layerCases.first { $0.file == file }!.message)
    }

    @Test func theFileCanRaiseOrLowerTheLimit() throws {
        let pipeline = try PipelineFileLoader.parse(yaml: """
            data: {directory: images, target_size: [64, 64], batch_size: 8}
            model: {layers: [flatten, {dense: {units: 2}}]}
            training: {memory_limit: 1MB}
            """, file: "p.yaml")
        #expect(pipeline.training?.memoryLimit == MemoryLimit(bytes: 1_000_000, origin: "training.memory_limit"))
        let error = #expect(throws: MemoryLimitError.self) {
            _ = try TrainingRun(pipeline: pipeline, outputDirectory: try TemporaryDirectory().path, output: ProgressOutput(isTerminal: false) { _ in }).run()
        }
        #expect(error?.key == "data.batch_size")
        #expect(error?.needed == 3 * 8 * 64 * 64 * 3 * 4 + 2 * 8 * 8)
    }

    @Test func aLimitThatDoesNotParseNamesTheKey() {
        let found = #expect(throws: PipelineFileError.self) {
            _ = try PipelineFileLoader.parse(yaml: "data: {directory: d}\nmodel: {layers: [flatten]}\ntraining:\n  memory_limit: lots\n",
                                             file: "p.yaml")
        }
        #expect(found?.description == "p.yaml:4:3: training.memory_limit: expected a size such as 8GB, 512MiB, 2000000000 or 50%, got 'lots'")
    }
}
