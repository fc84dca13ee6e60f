import Augmentation
import Imaging
import Tensors
import Benchmarks
import Testing
import TestSupport
@testable import DataPipeline

@Suite(.timeLimit(.minutes(1))) struct PipelineBenchmarkTests {
    @Test func measuresEveryEpochAndHandsOverEveryBatch() throws {
        let tree = try TemporaryDirectory()
        for index in 0..<5 {
            var image = Image(width: 12, height: 9, channels: 3)
            for offset in image.pixels.indices { image.pixels[offset] = UInt8((offset * 7 + index * 31) % 256) }
            try image.write(to: tree.path + "/flat_\(index).jpg", as: .jpeg())
        }
        var bench = PipelineBenchmark(directory: tree.path, size: 8, batchSize: 2, workerCount: 2, seed: 3, epochs: 2)
        #expect(try bench.source() is FileListSource)
        var first: [Batch] = []
        let results = try bench.run { first.append($0) }
        #expect(results.map(\.epoch) == [0, 1])
        #expect(results.allSatisfy { $0.images == 5 && $0.skipped == 0 && $0.decodeSeconds > 0 && $0.warpSeconds > 0 })
        #expect(first.map(\.count) == [2, 2, 1, 2, 2, 1])
        #expect(first[0].inputs.shape == [2, 8, 8, 3])
        bench.workerCount = 1
        var second: [Batch] = []
        _ = try bench.run { second.append($0) }
        #expect(second == first)
    }

    @Test func detectionAndSegmentationTargetsAreTimedAndChecksummed() throws {
        let set = try SyntheticCOCO.detection(count: 5)
        for task in BenchTargets.Task.allCases {
            var bench = PipelineBenchmark(directory: set.images, size: 32, batchSize: 2, workerCount: 2, seed: 3,
                                          ops: PipelineBenchmark.imagenetRecipe(size: 32))
            bench.targets = BenchTargets(task: task, annotations: set.json)
            func digest() throws -> (String, [PipelineBenchmark.EpochResult]) {
                let checksum = BatchChecksum()
                let annotated = bench.targets != nil
                let results = try bench.run { batch in
                    #expect(!annotated || (task == .detection ? batch.annotations?.boxes != nil : batch.annotations?.masks != nil))
                    checksum.add(batch)
                }
                return (checksum.hexDigest(), results)
            }
            let (two, results) = try digest()
            #expect(results.allSatisfy { $0.images == 5 && $0.skipped == 0 && $0.targetSeconds > 0 })
            bench.workerCount = 1
            #expect(try digest().0 == two)
            bench.targets = nil
            #expect(try digest().0 != two, "annotations are part of the checksum")
        }
    }
}
