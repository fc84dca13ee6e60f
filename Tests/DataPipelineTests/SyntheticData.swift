import Foundation
@testable import DataPipeline

/// `count` samples; sample i has the sparse target i and weight i / 100.
struct IndexSource: SampleSource {
    var count: Int
    var classMode: ClassMode = .sparse
    var targets: TargetTable { TargetTable(rowShape: [], values: (0..<count).map(Float.init)) }
    var sampleWeights: [Float]? { (0..<count).map { Float($0) / 100 } }
}

/// Thrown by `SyntheticRenderer` for its bad samples.
struct SyntheticFailure: Error, CustomStringConvertible {
    var index: Int
    var description: String { "synthetic/\(index).png: corrupt" }
}

/// Writes a pattern that depends only on (index, epoch), with optional
/// timing jitter, and fails on `badIndices`; counts what it renders.
final class SyntheticRenderer: SampleRenderer, @unchecked Sendable {
    let sampleShape: [Int]
    let badIndices: Set<Int>
    let jitter: Bool
    // NSLock rather than Synchronization.Mutex: ThreadSanitizer sees pthread
    // mutexes but not Mutex's futex, and reports false races through it.
    private let lock = NSLock()
    private var log = (renders: 0, highestIndex: -1)

    init(sampleShape: [Int] = [2, 3, 1], badIndices: Set<Int> = [], jitter: Bool = false) {
        self.sampleShape = sampleShape
        self.badIndices = badIndices
        self.jitter = jitter
    }

    static func value(index: Int, epoch: Int, element: Int) -> Float {
        Float(index) * 100 + Float(epoch) * 10 + Float(element) / 8
    }

    func render(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws {
        lock.withLock { log.renders += 1; log.highestIndex = max(log.highestIndex, index) }
        if jitter { usleep(UInt32((index * 7919 + epoch * 104_729) % 300)) }
        if badIndices.contains(index) { throw SyntheticFailure(index: index) }
        for element in slot.indices { slot[element] = Self.value(index: index, epoch: epoch, element: element) }
    }

    var renders: Int { lock.withLock { log.renders } }
    var highestIndex: Int { lock.withLock { log.highestIndex } }

    /// What rendering `indices` gives, concatenated: the independent expectation.
    func expected(_ indices: [Int], epoch: Int) -> [Float] {
        let size = sampleShape.reduce(1, *)
        return indices.flatMap { index in (0..<size).map { Self.value(index: index, epoch: epoch, element: $0) } }
    }
}

/// Collects a log's lines across threads.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
