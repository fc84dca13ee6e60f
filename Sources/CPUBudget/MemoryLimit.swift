import Foundation

/// How many bytes of buffers a run may ask for, and why: by default 80% of
/// the smaller of the machine's physical memory and the cgroup memory limit,
/// or what the user set (`training.memory_limit`, `--memory-limit`).
///
/// Everything large is estimated against it before it is allocated (the
/// loader's batch pool, a layer's parameters with their gradients and
/// optimizer moments, the activations of a training step), so a one-line
/// mistake such as `batch_size: 1000000000` is a named error, not an abort
/// inside the allocator.
///
/// ```swift
/// let limit = try MemoryLimit(parsing: "8GB", origin: "--memory-limit")
/// try MemoryLimit.$current.withValue(limit) {
///     try MemoryLimit.current.check(64 * 224 * 224 * 3 * 4, for: "a batch")
/// }
/// ```
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
    /// Bytes that may be allocated.
    public var bytes: Int
    /// Where the number came from, e.g. "80% of 15.6 GB physical memory" or "--memory-limit".
    public var origin: String

    public init(bytes: Int, origin: String) {
        self.bytes = bytes
        self.origin = origin
    }

    /// The share of memory the default limit allows.
    public static let defaultFraction = 0.8

    /// 80% of the smaller of `physicalBytes` and the cgroup limit with its file (nil: none).
    public static func automatic(physicalBytes: Int, cgroup: (bytes: Int, file: String)?) -> MemoryLimit {
        var (total, what) = (physicalBytes, "\(format(physicalBytes)) physical memory")
        if let cgroup, cgroup.bytes < total {
            (total, what) = (cgroup.bytes, "the cgroup limit \(format(cgroup.bytes)) (\(cgroup.file))")
        }
        return MemoryLimit(bytes: Int(Double(total) * defaultFraction), origin: "80% of \(what)")
    }

    /// This machine's default, read once.
    public static let automatic = automatic(physicalBytes: physicalMemory(), cgroup: CgroupFiles().memoryLimit())

    /// The limit in force for the current task (or thread): ``automatic`` unless a caller bound
    /// another with `MemoryLimit.$current.withValue(_:operation:)`.
    @TaskLocal public static var current: MemoryLimit = automatic

    /// Parses a size as users write it: bytes (`2000000000`), a decimal or binary unit
    /// (`8GB`, `512 MiB`, `1.5TB`; K, M, G, T alone are decimal) or a share of the
    /// machine's default total (`50%` of the memory the automatic limit took 80% of).
    /// - Parameters:
    ///   - text: what the user wrote.
    ///   - origin: the key or flag, for messages (`training.memory_limit`).
    public init(parsing text: String, origin: String) throws(MemoryLimitError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%"), let percent = Double(trimmed.dropLast()), percent > 0, percent <= 100 {
            let total = Double(Self.automatic.bytes) / Self.defaultFraction
            self.init(bytes: Int(total * percent / 100), origin: "\(origin) \(trimmed)")
            return
        }
        let units: [(String, Double)] = [
            ("KIB", 1024), ("MIB", 1_048_576), ("GIB", 1_073_741_824), ("TIB", 1_099_511_627_776),
            ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
            ("B", 1), ("", 1),
        ]
        let upper = trimmed.uppercased()
        for (suffix, scale) in units where upper.hasSuffix(suffix) {
            let number = upper.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value > 0, value * scale < 9e18 else { break }
            self.init(bytes: Int(value * scale), origin: origin)
            return
        }
        throw MemoryLimitError(key: origin, what: "'\(text)'", needed: 0, limit: nil)
    }

    /// Throws when `bytes` (saturated at `Int.max` by ``product(_:)``) exceed the limit.
    /// - Parameters:
    ///   - bytes: what the buffer needs.
    ///   - what: the buffer, in words: "the batch pool (3 batches of 64 × 224×224×3 floats)".
    ///   - key: the setting that decides it, when one does ("data.batch_size").
    public func check(_ bytes: Int, for what: String, key: String? = nil) throws(MemoryLimitError) {
        guard bytes <= self.bytes else { throw MemoryLimitError(key: key, what: what, needed: bytes, limit: self) }
    }

    /// The product of `factors`, `Int.max` when it overflows (no factor is negative).
    public static func product(_ factors: [Int]) -> Int {
        var result = 1
        for factor in factors {
            let (value, overflow) = result.multipliedReportingOverflow(by: max(0, factor))
            if overflow { return .max }
            result = value
        }
        return result
    }

    /// `bytes` for people: "9.4 TB", "512.0 MB", "100 bytes".
    public static func format(_ bytes: Int) -> String {
        if bytes == .max { return "more than 9.2 EB" }
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
    }

    public var description: String { "\(Self.format(bytes)) (\(origin))" }

    /// Physical memory from `sysconf`; `Int.max` when it cannot be read.
    public static func physicalMemory() -> Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? product([pages, size]) : .max
    }
}

/// A buffer larger than the memory limit, or a limit that does not parse.
public struct MemoryLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file whose setting it is (a pipeline file), when known.
    public var file: String?
    /// The pipeline-file key or flag that decides the size (or, for a bad limit, the limit's own key).
    public var key: String?
    /// The buffer, in words.
    public var what: String
    /// Bytes the buffer needs (0 for a limit that does not parse).
    public var needed: Int
    /// The limit it exceeds; nil for a limit that does not parse.
    public var limit: MemoryLimit?

    public init(key: String?, what: String, needed: Int, limit: MemoryLimit?) {
        self.key = key
        self.what = what
        self.needed = needed
        self.limit = limit
    }

    public var description: String {
        let prefix = [file, key].compactMap { $0 }.map { "\($0): " }.joined()
        guard let limit else {
            return prefix + "expected a size such as 8GB, 512MiB, 2000000000 or 50%, got \(what)"
        }
        return prefix + "\(what) needs \(MemoryLimit.format(needed)), more than the memory limit of \(limit); "
            + "lower it, or raise the limit with training.memory_limit or --memory-limit"
    }
}
