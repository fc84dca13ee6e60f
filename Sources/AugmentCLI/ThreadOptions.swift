import ArgumentParser
import CPUBudget
import Foundation

extension ThreadCount {
    /// Parses an option's value: `auto` or a positive integer, with an error naming the option.
    static func option(_ name: String) -> @Sendable (String) throws -> ThreadCount {
        { text in try ThreadCount(parsing: text, setting: name) }
    }

    /// The worker threads of a benchmark that runs only workers: the number, or the loader's `auto` maximum.
    var workerThreads: Int {
        switch self {
        case .fixed(let count): count
        case .auto: ThreadPlan.automatic.loaderWorkers
        }
    }
}

/// Whether this `augment` was compiled without optimisation.
enum BuildKind {
    /// Prints one line on standard error when this is a debug build, whose figures mean little.
    static func warnIfDebug() {
        #if DEBUG
        FileHandle.standardError.write(Data(
            "warning: this augment is a debug build; its speed is not representative (build with swift build -c release)\n".utf8))
        #endif
    }
}
