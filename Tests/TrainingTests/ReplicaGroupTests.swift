import Foundation
import Testing
import TestSupport
@testable import Training

/// Replicas of a model on threads of their own (``ReplicaGroup``): sums in rank
/// order into every replica, identical steps to one model on the whole batch,
/// and no replica left waiting when another fails.
@Suite struct ReplicaGroupTests {
    /// Gradients chosen so that the order of the sum shows in the last bits.
    static func gradient(rank: Int, count: Int) -> [Float] {
        (0..<count).map { i in [Float(1e8), 1, -1e8][rank] * Float(i + 1) + Float(rank) * 0.37 }
    }

    @Test func reduceSumsInRankOrderIntoEveryReplica() throws {
        let counts = [5, 2, 4]
        let results = try ReplicaGroup(count: 3).run(threadsPerReplica: 1) { reducer in
            let parameters = counts.enumerated().map { index, count in
                Parameter(name: "p\(index)", shape: [count], initialValues: .init(repeating: 0, count: count))
            }
            for parameter in parameters {
                parameter.gradient.pointer.update(from: Self.gradient(rank: reducer.rank, count: parameter.count),
                                                  count: parameter.count)
            }
            try reducer.reduce(parameters)
            return parameters.flatMap { $0.gradient.array(count: $0.count) }
        }
        let expected = counts.flatMap { count in
            (0..<count).map { i in (Self.gradient(rank: 0, count: count)[i] + Self.gradient(rank: 1, count: count)[i])
                + Self.gradient(rank: 2, count: count)[i] }
        }
        for result in results { #expect(result == expected) }
    }

    @Test func sumAndBroadcastAgreeOnEveryReplica() throws {
        let results = try ReplicaGroup(count: 3).run(threadsPerReplica: 1) { reducer in
            var values = [Double(reducer.rank), 1]
            try reducer.sum(&values)
            var decision = [Double(10 + reducer.rank)]
            try reducer.broadcast(&decision)
            let weight = Parameter(name: "w", shape: [2], initialValues: [Float(reducer.rank), 5])
            try reducer.broadcast([weight])
            return values + decision + weight.value.array(count: 2).map(Double.init)
        }
        #expect(results == Array(repeating: [3, 3, 10, 0, 5], count: 3))
    }

    struct Broken: Error, Equatable {}

    /// A replica that fails before the gradient sum: the others are released
    /// from their wait with `processesStopped`, and the group throws the cause.
    @Test func aFailingReplicaReleasesTheOthers() throws {
        #expect(throws: Broken()) {
            _ = try ReplicaGroup(count: 3).run(threadsPerReplica: 1) { reducer in
                if reducer.rank == 1 { throw Broken() }
                let parameter = Parameter(name: "p", shape: [4], initialValues: [0, 0, 0, 0])
                do {
                    try reducer.reduce([parameter])
                } catch TrainingError.processesStopped(let ranks, let count) {
                    #expect(ranks.contains(1) && count == 3)
                    throw TrainingError.processesStopped(ranks: ranks, processCount: count)
                }
                Issue.record("replica \(reducer.rank) passed a sum that replica 1 never joined")
            }
        }
    }

    /// A replica that ends while another still waits for it (calls out of step) releases it too.
    @Test func aReplicaThatLeavesEarlyReleasesTheOthers() throws {
        #expect(throws: TrainingError.self) {
            _ = try ReplicaGroup(count: 2).run(threadsPerReplica: 1) { reducer in
                if reducer.rank == 0 { return }
                var values = [1.0]
                try reducer.sum(&values)
            }
        }
    }

    /// Rows `range` of `batch`.
    static func rows(_ range: Range<Int>, of tensor: Tensor) -> Tensor {
        let width = tensor.count / tensor.shape[0]
        return Tensor(shape: [range.count] + tensor.shape.dropFirst(),
                      scalars: Array(tensor.scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    }

    /// Two replicas on halves of each batch (dropout masks keyed by the
    /// sample's place in the batch) take the steps one model takes on the
    /// whole batch, to the order of float sums; both hold the same weights, and
    /// a second run gives the same bits.
    @Test func replicasTrainAsOneModel() throws {
        let data = Synthetic.halves(count: 32, seed: 1)
        func replicated() throws -> [[[Float]]] {
            try ReplicaGroup(count: 2).run(threadsPerReplica: 1) { reducer in
                let model = try Synthetic.model(seed: 3)
                model.compile(optimizer: try Adam(learningRate: 1e-2), loss: CategoricalCrossentropy())
                model.trainer!.reducer = reducer
                for step in 0..<2 {
                    let rows = (step * 16 + reducer.rank * 8)..<(step * 16 + reducer.rank * 8 + 8)
                    try model.trainStep(Batch(inputs: Self.rows(rows, of: data.x), targets: Self.rows(rows, of: data.y)),
                                        sampleOffset: step * 16 + reducer.rank * 8)
                }
                return model.weightValues()
            }
        }
        let model = try Synthetic.model(seed: 3)
        model.compile(optimizer: try Adam(learningRate: 1e-2), loss: CategoricalCrossentropy())
        for step in 0..<2 {
            let rows = (step * 16)..<(step * 16 + 16)
            try model.trainStep(Batch(inputs: Self.rows(rows, of: data.x), targets: Self.rows(rows, of: data.y)), sampleOffset: step * 16)
        }
        let one = model.weightValues()
        let first = try replicated(), second = try replicated()
        #expect(first[0] == first[1])
        #expect(first == second)
        for (a, b) in zip(one, first[0]) {
            let scale = max(a.map(abs).max() ?? 0, 1e-3)
            #expect(zip(a, b).map { abs($0 - $1) }.max()! <= 1e-4 * scale)
        }
    }
}
