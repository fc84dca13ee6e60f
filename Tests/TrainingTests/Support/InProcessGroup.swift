import Foundation
@testable import Training

/// Processes of a data-parallel run simulated by threads of this process:
/// each ``Member`` is one rank's `GradientReducer`, and every collective
/// waits until all members have called it (as MPI's would), then gives each
/// the combination of all contributions, summed in rank order.
///
/// A collective that not every member reaches within ``timeout`` throws
/// ``Deadlock`` instead of hanging the test run.
final class InProcessGroup: @unchecked Sendable {
    let size: Int
    let members: [Member]
    var timeout: TimeInterval = 30
    private let condition = NSCondition()
    private var contributions: [[Double]?]
    private var result: [Double] = []
    private var generation = 0
    /// Collectives completed, of every kind.
    private(set) var collectives = 0

    struct Deadlock: Error, CustomStringConvertible {
        let rank: Int
        var description: String { "rank \(rank) waited for the other ranks in a collective" }
    }

    init(size: Int) {
        self.size = size
        contributions = .init(repeating: nil, count: size)
        members = (0..<size).map { Member(rank: $0) }
        for member in members { member.group = self }
    }

    /// Runs `body(rank)` on one thread per member, all at once, and returns
    /// their results in rank order (rethrowing the first error). `body` must
    /// not record test issues (`#expect`): its threads are not the test's.
    func run<Result>(_ body: @escaping @Sendable (Int) throws -> Result) throws -> [Result] {
        let box = ResultBox<Result>(results: .init(repeating: nil, count: size))
        let done = DispatchGroup()
        let lock = NSLock()
        for rank in 0..<size {
            done.enter()
            let thread = Thread {
                let outcome = Swift.Result { try body(rank) }
                lock.lock(); box.results[rank] = outcome; lock.unlock()
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        return try box.results.map { try $0!.get() }
    }

    /// The members' results, filled by their threads.
    private final class ResultBox<Value>: @unchecked Sendable {
        var results: [Swift.Result<Value, any Error>?]
        init(results: [Swift.Result<Value, any Error>?]) { self.results = results }
    }

    /// Every member's `values`, combined by `combine` once all have arrived.
    fileprivate func collective(_ values: [Double], rank: Int, combine: ([[Double]]) -> [Double]) throws -> [Double] {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        contributions[rank] = values
        if contributions.allSatisfy({ $0 != nil }) {
            result = combine(contributions.map { $0! })
            contributions = .init(repeating: nil, count: size)
            generation += 1
            collectives += 1
            condition.broadcast()
        } else {
            let deadline = Date().addingTimeInterval(timeout)
            while generation == mine {
                guard condition.wait(until: deadline) || generation != mine else { throw Deadlock(rank: rank) }
            }
        }
        return result
    }

    /// One rank of the group.
    final class Member: GradientReducer {
        let rank: Int
        fileprivate weak var group: InProcessGroup?
        /// Gradients announced during backward passes, in order (`gradientsReady`).
        private(set) var announced: [ObjectIdentifier] = []

        init(rank: Int) { self.rank = rank }

        var processCount: Int { group!.size }

        func gradientsReady(_ parameters: [Parameter]) {
            announced += parameters.map(ObjectIdentifier.init)
        }

        func reduce(_ parameters: [Parameter]) throws {
            let packed = parameters.flatMap { UnsafeBufferPointer(start: $0.gradient.pointer, count: $0.count).map(Double.init) }
            let summed = try group!.collective(packed, rank: rank, combine: InProcessGroup.sum)
            var offset = 0
            for parameter in parameters {
                for index in 0..<parameter.count { parameter.gradient.pointer[index] = Float(summed[offset + index]) }
                offset += parameter.count
            }
        }

        func sum(_ values: inout [Double]) throws {
            values = try group!.collective(values, rank: rank, combine: InProcessGroup.sum)
        }

        func broadcast(_ values: inout [Double]) throws {
            values = try group!.collective(values, rank: rank) { $0[0] }
        }

        func broadcast(_ parameters: [Parameter]) throws {
            for parameter in parameters {
                var values = UnsafeBufferPointer(start: parameter.value.pointer, count: parameter.count).map(Double.init)
                try broadcast(&values)
                for index in 0..<parameter.count { parameter.value.pointer[index] = Float(values[index]) }
            }
        }
    }

    /// Element-wise sums, in rank order.
    private static func sum(_ contributions: [[Double]]) -> [Double] {
        contributions.dropFirst().reduce(contributions[0]) { zip($0, $1).map(+) }
    }
}
