import Foundation

/// The samples known to fail, shared by every epoch of one loader: each is
/// logged once, and later epochs skip it without rendering it again.
final class BadSampleRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var reasons: [Int: String] = [:]
    private let log: @Sendable (String) -> Void

    init(log: @escaping @Sendable (String) -> Void) {
        self.log = log
    }

    /// Whether `index` is already known to fail.
    func isKnownBad(_ index: Int) -> Bool {
        lock.withLock { reasons[index] != nil }
    }

    /// The recorded reason for `index`, if any.
    func reason(for index: Int) -> String? {
        lock.withLock { reasons[index] }
    }

    /// Records a failure; logs it when it is new.
    func record(_ index: Int, reason: String) {
        let isNew = lock.withLock { reasons.updateValue(reason, forKey: index) == nil }
        if isNew { log("skipping sample \(index): \(reason)") }
    }
}
