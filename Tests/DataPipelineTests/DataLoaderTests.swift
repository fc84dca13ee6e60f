import Foundation
import Tensors
import Testing
@testable import DataPipeline

@Suite(.timeLimit(.minutes(1))) struct DataLoaderTests {
    func loader(count: Int = 10, renderer: SyntheticRenderer = SyntheticRenderer(), batchSize: Int = 4,
                shuffle: Bool = false, workers: Int = 2, depth: Int = 2, policy: BadFilePolicy = .fail,
                dropRemainder: Bool = false, steps: Int? = nil, shard: Shard? = nil,
                classMode: ClassMode = .sparse, log: LogLines = LogLines()) throws -> DataLoader {
        let options = LoaderOptions(batchSize: batchSize, shuffle: shuffle, seed: 42, dropRemainder: dropRemainder,
                                    stepsPerEpoch: steps, workerCount: workers, prefetchDepth: depth,
                                    badFilePolicy: policy, shard: shard)
        return try DataLoader(source: IndexSource(count: count, classMode: classMode), renderer: renderer,
                              options: options, log: log.append)
    }

    func targets(_ batches: [Batch]) -> [[Float]] { batches.map(\.targets.scalars) }

    @Test func batchesAreInOrderWithTheLastOneKept() throws {
        let renderer = SyntheticRenderer()
        let batches = Array(try loader(renderer: renderer).epoch(3))
        #expect(batches.map(\.count) == [4, 4, 2])
        #expect(targets(batches) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        #expect(batches[2].inputs.shape == [2, 2, 3, 1])
        #expect(batches.flatMap(\.inputs.scalars) == renderer.expected(Array(0..<10), epoch: 3))
        #expect(batches[2].sampleWeights?.scalars == [0.08, 0.09])
        #expect(Array(try loader(dropRemainder: true).epoch(0)).map(\.count) == [4, 4])
        #expect(Array(try loader(steps: 1).epoch(0)).map(\.count) == [4])
        #expect(throws: DataPipelineError.self) { try loader(steps: 4) }
        #expect(throws: DataPipelineError.self) { try loader(batchSize: 0) }
        #expect(Array(try loader(count: 0).epoch(0)).isEmpty)
    }

    @Test func sameBytesForAnyWorkerCountAndDepth() throws {
        let renderer = SyntheticRenderer(jitter: true)
        let reference = try loader(count: 37, renderer: renderer, batchSize: 5, shuffle: true, workers: 1, depth: 1)
        for epoch in 0..<2 {
            let order = reference.order(epoch: epoch)
            #expect(order.sorted() == Array(0..<37))
            let expected = Array(reference.epoch(epoch))
            #expect(expected.flatMap(\.inputs.scalars) == renderer.expected(order, epoch: epoch))
            #expect(expected.flatMap(\.targets.scalars) == order.map(Float.init))
            for workers in [1, 2, 8] {
                for depth in [1, 2, 5] {
                    let other = try loader(count: 37, renderer: renderer, batchSize: 5, shuffle: true,
                                           workers: workers, depth: depth)
                    #expect(Array(other.epoch(epoch)) == expected, "workers \(workers), depth \(depth)")
                }
            }
        }
        #expect(reference.order(epoch: 0) != reference.order(epoch: 1))
    }

    /// A resumed run starts an epoch at a batch index: it gets exactly the batches the whole
    /// epoch delivers from there, and the summary counts only those.
    @Test func anEpochStartsAtABatchWithTheWholeEpochsBatches() throws {
        let renderer = SyntheticRenderer(jitter: true)
        let whole = Array(try loader(count: 23, renderer: renderer, batchSize: 4, shuffle: true).epoch(2))
        #expect(whole.count == 6)
        for first in [0, 1, 3, 5, 6, 9] {
            for (workers, depth) in [(1, 1), (3, 2)] {
                let run = try loader(count: 23, renderer: renderer, batchSize: 4, shuffle: true,
                                     workers: workers, depth: depth).epoch(2, from: first)
                let rest = Array(run)
                #expect(rest == Array(whole.dropFirst(first)), "from \(first), \(workers) workers")
                #expect(try run.finish().batchCount == rest.count)
            }
        }
    }

    /// Batches are handed over without a copy and their buffers recycled: a batch the consumer
    /// keeps, or writes to in place, must keep its own values while later batches are rendered.
    @Test func deliveredBatchesBelongToTheConsumer() throws {
        let renderer = SyntheticRenderer(jitter: true)
        let expected = renderer.expected(Array(0..<37), epoch: 0)
        for depth in [1, 2] {
            var seen: [Float] = [], kept: [Batch] = []
            for var batch in try loader(count: 37, renderer: renderer, batchSize: 5, workers: 2, depth: depth).epoch(0) {
                seen += batch.inputs.scalars
                if kept.count < 2 { kept.append(batch) }   // the first two stay alive to the end
                batch.inputs.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }   // then dropped
            }
            #expect(seen == expected, "depth \(depth)")
            #expect(kept.flatMap(\.inputs.scalars) == Array(expected[0..<(2 * 5 * 6)]), "depth \(depth)")
        }
    }

    /// The next epoch reuses the last one's buffers (BatchPoolShelf), never one a batch the
    /// consumer kept still uses, whether the epoch ran to its end or was left early.
    @Test func batchesKeptAcrossEpochsAreNeverOverwritten() throws {
        let renderer = SyntheticRenderer(jitter: true)
        for depth in [1, 2] {
            let loader = try loader(count: 20, renderer: renderer, batchSize: 5, workers: 2, depth: depth)
            var kept: [Batch] = []
            for epoch in 0..<4 {
                let run = loader.epoch(epoch)
                var seen: [Float] = []
                for (index, batch) in run.enumerated() {
                    seen += batch.inputs.scalars
                    if index == epoch % 4 { kept.append(batch) }
                    if epoch == 2 && index == 2 { break }   // left early: its production ends with its run
                }
                let expected = renderer.expected(Array(0..<20), epoch: epoch)
                #expect(seen == Array(expected[0..<seen.count]) && seen.count == (epoch == 2 ? 15 : 20) * 6, "depth \(depth) epoch \(epoch)")
            }
            for (epoch, batch) in kept.enumerated() {
                let start = (epoch % 4) * 5 * 6
                #expect(batch.inputs.scalars == Array(renderer.expected(Array(0..<20), epoch: epoch)[start ..< start + 30]),
                        "depth \(depth): the batch kept from epoch \(epoch)")
            }
        }
    }

    @Test func asyncIterationMatchesSequenceIteration() async throws {
        let loader = try loader(count: 23, renderer: SyntheticRenderer(jitter: true), shuffle: true, workers: 3)
        var batches: [Batch] = []
        for try await batch in loader.epoch(1) { batches.append(batch) }
        #expect(batches == Array(loader.epoch(1)))
    }

    @Test func workersStayWithinThePrefetchWindow() throws {
        let renderer = SyntheticRenderer()
        let loader = try loader(count: 40, renderer: renderer, batchSize: 2, workers: 4, depth: 3)
        var consumed = 0
        for _ in loader.epoch(0) {
            consumed += 1
            usleep(2_000)
            // The consumer holds batch `consumed - 1`; workers may only reach
            // batches below consumed + depth.
            #expect(renderer.highestIndex < (consumed + 3) * 2)
        }
        #expect(consumed == 20)
    }

    @Test func leavingEarlyStopsWorkersAndFreesBuffers() throws {
        let renderer = SyntheticRenderer(jitter: true)
        let loader = try loader(count: 2_000, renderer: renderer, workers: 4, depth: 2)
        weak var production: EpochProduction?
        do {
            let run = loader.epoch(0)
            production = run.production
            for _ in run { break }
        }
        usleep(50_000)
        let rendered = renderer.renders
        #expect(rendered <= (1 + 2) * 4 + 4)
        usleep(50_000)
        #expect(renderer.renders == rendered)
        #expect(production == nil)
    }

    @Test func taskCancellationEndsAsyncIteration() async throws {
        let renderer = SyntheticRenderer(jitter: true)
        let loader = try loader(count: 100_000, renderer: renderer, workers: 2)
        let task = Task {
            var seen = 0
            for try await _ in loader.epoch(0) { seen += 1 }
            return seen
        }
        try await Task.sleep(for: .milliseconds(30))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        try await Task.sleep(for: .milliseconds(30))
        let rendered = renderer.renders
        try await Task.sleep(for: .milliseconds(30))
        #expect(renderer.renders == rendered)
        #expect(rendered < 100_000)
    }

    @Test func failPolicyRaisesTheFirstBadFileAfterTheBatchesBeforeIt() throws {
        for workers in [1, 2, 8] {
            let renderer = SyntheticRenderer(badIndices: [9, 6], jitter: true)
            let run = try loader(renderer: renderer, workers: workers).epoch(0)
            #expect(try run.nextBatch()?.targets.scalars == [0, 1, 2, 3])
            #expect { try run.nextBatch() } throws: { ($0 as? SyntheticFailure)?.index == 6 }
            // The error stays: asking again throws it again.
            #expect { try run.nextBatch() } throws: { ($0 as? SyntheticFailure)?.index == 6 }

            let log = LogLines()
            let sequenceRun = try loader(renderer: renderer, workers: workers, log: log).epoch(0)
            #expect(Array(sequenceRun).count == 1)
            #expect(log.all == ["epoch 0 stopped early: synthetic/6.png: corrupt (EpochRun.finish() throws it)"])
            #expect { try sequenceRun.finish() } throws: { ($0 as? SyntheticFailure)?.index == 6 }
        }
    }

    @Test func skipPolicyFillsSlotsWithTheNextGoodSample() throws {
        let log = LogLines()
        let renderer = SyntheticRenderer(badIndices: [3, 4, 9], jitter: true)
        for workers in [1, 2, 8] {
            let loader = try loader(renderer: renderer, workers: workers, policy: .skip, log: log)
            for epoch in 0..<2 {
                let run = loader.epoch(epoch)
                let batches = Array(run)
                // 3 and 4 → 5; 9 wraps around to 0.
                #expect(targets(batches) == [[0, 1, 2, 5], [5, 5, 6, 7], [8, 0]])
                #expect(batches.flatMap(\.inputs.scalars) == renderer.expected([0, 1, 2, 5, 5, 5, 6, 7, 8, 0], epoch: epoch))
                let summary = try run.finish()
                #expect(summary.skipped.map(\.index) == [3, 4, 9])
                #expect(summary.skipped[0].reason == "synthetic/3.png: corrupt")
                #expect(summary.sampleCount == 10)
            }
            #expect(log.all.count == 3 * (workers == 1 ? 1 : workers == 2 ? 2 : 3))
        }
    }

    @Test func aSourceWithoutGoodSamplesFailsInsteadOfHanging() throws {
        let renderer = SyntheticRenderer(badIndices: Set(0..<10))
        let run = try loader(renderer: renderer, workers: 3, policy: .skip).epoch(0)
        #expect { try run.nextBatch() } throws: { ($0 as? DataPipelineError)?.kind == .noUsableSample }
    }

    @Test func inputAndNoneModesShapeTheTargets() throws {
        let input = Array(try loader(classMode: .input).epoch(0))
        #expect(input.allSatisfy { $0.targets == $0.inputs })
        let none = Array(try loader(classMode: .none).epoch(0))
        #expect(none.map(\.targets.shape) == [[4, 0], [4, 0], [2, 0]])
    }

    @Test func shardsSplitEachEpoch() throws {
        let first = try loader(count: 11, shuffle: true, shard: Shard(index: 0, count: 2))
        let second = try loader(count: 11, shuffle: true, shard: Shard(index: 1, count: 2))
        let whole = try loader(count: 11, shuffle: true)
        for epoch in 0..<2 {
            #expect(first.order(epoch: epoch) + second.order(epoch: epoch) == whole.order(epoch: epoch))
            let delivered = Array(first.epoch(epoch)).flatMap(\.targets.scalars)
            #expect(delivered == first.order(epoch: epoch).map(Float.init))
        }
        #expect(first.batchCount == 2 && second.batchCount == 2)
    }

    /// Data-parallel shards: each global batch of one loader is the shards'
    /// local batches in rank order, with equal batch counts on every shard
    /// even when the data does not divide (a shard's last batch may be empty).
    @Test(arguments: [(2, 11, false), (3, 13, false), (3, 13, true), (2, 12, false)])
    func globalBatchShardsMakeOneLoadersBatches(ranks: Int, count: Int, dropRemainder: Bool) throws {
        let local = 2
        let whole = try loader(count: count, batchSize: ranks * local, shuffle: true, dropRemainder: dropRemainder)
        let shards = try (0..<ranks).map {
            try loader(count: count, batchSize: local, shuffle: true, dropRemainder: dropRemainder,
                       shard: Shard(index: $0, count: ranks, layout: .globalBatches))
        }
        #expect(shards.allSatisfy { $0.batchCount == whole.batchCount })
        for epoch in 0..<2 {
            let wholeBatches = Array(whole.epoch(epoch))
            let shardBatches = shards.map { Array($0.epoch(epoch)) }
            #expect(shardBatches.allSatisfy { $0.count == wholeBatches.count })
            for (k, batch) in wholeBatches.enumerated() {
                #expect(shardBatches.flatMap { $0[k].targets.scalars } == batch.targets.scalars)
                #expect(shardBatches.flatMap { $0[k].inputs.scalars } == batch.inputs.scalars)
                for (rank, batches) in shardBatches.enumerated() where batches[k].count > 0 {
                    #expect(batches[k].epochPosition == k * ranks * local + rank * local)
                }
            }
            let seen = shardBatches.flatMap { $0.flatMap(\.targets.scalars) }.map(Int.init)
            let kept = dropRemainder ? count / (ranks * local) * ranks * local : count
            #expect(seen.sorted() == whole.order(epoch: epoch).prefix(kept).sorted())
            #expect(Set(seen).count == seen.count)
        }
    }

    @Test func oneSampleCanBeReproducedAlone() throws {
        let loader = try loader(count: 9, shuffle: true)
        let batch = try #require(Array(loader.epoch(2)).first)
        let index = loader.order(epoch: 2)[1]
        #expect(try loader.renderSample(index, epoch: 2) == Array(batch.inputs.scalars(6..<12)))
    }
}
