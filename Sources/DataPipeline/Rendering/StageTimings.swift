import Dispatch
import Synchronization

/// Thread-seconds spent in each stage of `ImageFileRenderer`, summed over
/// all workers with atomics (no lock on the hot path).
public final class StageTimings: Sendable {
    /// A consistent-enough reading of the counters.
    public struct Snapshot: Sendable, Equatable {
        public var samples: Int
        public var readSeconds: Double
        public var decodeSeconds: Double
        public var warpSeconds: Double
        /// Moving masks, boxes and keypoints (zero without targets).
        public var targetSeconds: Double
    }

    private let samples = Atomic<Int>(0)
    private let readNanoseconds = Atomic<UInt64>(0)
    private let decodeNanoseconds = Atomic<UInt64>(0)
    private let warpNanoseconds = Atomic<UInt64>(0)
    private let targetNanoseconds = Atomic<UInt64>(0)

    public init() {}

    /// Adds one sample's stage times, in nanoseconds.
    func add(read: UInt64, decode: UInt64, warp: UInt64, targets: UInt64 = 0) {
        samples.add(1, ordering: .relaxed)
        readNanoseconds.add(read, ordering: .relaxed)
        decodeNanoseconds.add(decode, ordering: .relaxed)
        warpNanoseconds.add(warp, ordering: .relaxed)
        targetNanoseconds.add(targets, ordering: .relaxed)
    }

    public var snapshot: Snapshot {
        Snapshot(samples: samples.load(ordering: .relaxed),
                 readSeconds: Double(readNanoseconds.load(ordering: .relaxed)) / 1e9,
                 decodeSeconds: Double(decodeNanoseconds.load(ordering: .relaxed)) / 1e9,
                 warpSeconds: Double(warpNanoseconds.load(ordering: .relaxed)) / 1e9,
                 targetSeconds: Double(targetNanoseconds.load(ordering: .relaxed)) / 1e9)
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
