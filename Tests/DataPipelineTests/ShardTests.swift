import Testing
@testable import DataPipeline

@Suite struct ShardTests {
    @Test func shardsAreDisjointCoveringAndBalanced() throws {
        for total in [0, 1, 7, 100, 101] {
            for count in 1...5 {
                let ranges = try (0..<count).map { try Shard(index: $0, count: count).range(of: total) }
                #expect(ranges.flatMap { Array($0) } == Array(0..<total))
                let sizes = ranges.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1)
            }
        }
        #expect(throws: DataPipelineError.self) { try Shard(index: 2, count: 2) }
    }

    @Test func shardComesFromTheEnvironment() throws {
        #expect(try Shard.fromEnvironment(["RANK": "1", "WORLD_SIZE": "4"]) == Shard(index: 1, count: 4))
        #expect(try Shard.fromEnvironment(["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "2"])
            == Shard(index: 0, count: 2))
        #expect(try Shard.fromEnvironment(["SLURM_PROCID": "2", "SLURM_NTASKS": "3"], layout: .globalBatches)
            == Shard(index: 2, count: 3, layout: .globalBatches))
        #expect(throws: DataPipelineError.self) { try Shard.fromEnvironment(["RANK": "1"]) }
        #expect(throws: DataPipelineError.self) { try Shard.fromEnvironment(["RANK": "x", "WORLD_SIZE": "2"]) }
        #expect(throws: DataPipelineError.self) { try Shard.fromEnvironment(["RANK": "3", "WORLD_SIZE": "2"]) }
    }
}
