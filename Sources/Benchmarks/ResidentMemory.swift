import Foundation

/// The process's resident memory, read from `/proc/self/status` (Linux).
public struct ResidentMemory: Sendable, Equatable, Codable {
    /// Current resident set (`VmRSS`), bytes.
    public var current: Int
    /// Peak resident set (`VmHWM`), bytes.
    public var peak: Int

    /// Now; zeros where `/proc` is not available.
    public static func now() -> ResidentMemory {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return ResidentMemory(current: 0, peak: 0)
        }
        func kilobytes(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return ResidentMemory(current: kilobytes("VmRSS") * 1024, peak: kilobytes("VmHWM") * 1024)
    }
}
