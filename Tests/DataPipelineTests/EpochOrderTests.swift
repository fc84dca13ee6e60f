import Testing
@testable import DataPipeline

@Suite struct EpochOrderTests {
    /// Golden orders from an independent Python implementation of the
    /// documented derivation (SplitMix64 key, Fisher–Yates, multiply-high).
    @Test func followsTheDocumentedDerivation() {
        #expect(EpochOrder.permutation(count: 10, seed: 42, epoch: 0, shuffle: true) == [6, 5, 2, 0, 4, 7, 8, 9, 3, 1])
        #expect(EpochOrder.permutation(count: 10, seed: 42, epoch: 1, shuffle: true) == [6, 8, 7, 4, 9, 1, 5, 0, 2, 3])
        #expect(EpochOrder.permutation(count: 10, seed: 7, epoch: 0, shuffle: true) == [1, 2, 6, 3, 8, 5, 9, 4, 0, 7])
        #expect(EpochOrder.permutation(count: 4, seed: 7, epoch: 0, shuffle: false) == [0, 1, 2, 3])
    }

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
        #expect(throws: DataPipelineError.self) { try Shard.fromEnvironment(["RANK": "1"]) }
        #expect(throws: DataPipelineError.self) { try Shard.fromEnvironment(["RANK": "x", "WORLD_SIZE": "2"]) }
        #expect(throws: DataPipelineError.self) { try Shard.fromEnvironment(["RANK": "3", "WORLD_SIZE": "2"]) }
    }
}
