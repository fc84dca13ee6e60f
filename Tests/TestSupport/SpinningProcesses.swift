import Foundation

/// Runs `body` beside `count` processes of `yes > /dev/null`, killed when it returns or throws.
/// SIGKILL, because a child started from a test's thread inherits its blocked signals, SIGTERM among them.
public func withSpinningProcesses<T>(_ count: Int = 2, _ body: () throws -> T) throws -> T {
    let busy = try (0..<count).map { _ in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/yes")
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }
    defer {
        for process in busy { kill(process.processIdentifier, SIGKILL) }
        for process in busy { process.waitUntilExit() }
    }
    return try body()
}
