import Foundation
import Synchronization
import Training

/// The signal that asked training to stop (0: none yet). A handler may touch
/// nothing but lock-free atomics and async-signal-safe calls.
private let receivedSignal = Atomic<Int32>(0)

/// SIGINT (Ctrl-C) and SIGTERM (a scheduler's time limit) ask a training run
/// to stop cleanly at the end of the current batch (`StopOnSignal`); a
/// second signal exits at once with status 128 + its number.
///
/// ```swift
/// StopSignals.install()
/// let report = try TrainingRun(pipeline: file, outputDirectory: "runs/digits").run()
/// if let stop = report.interruption { exit(128 + stop.signal) }
/// ```
public enum StopSignals {
    /// Installs the handlers for SIGINT and SIGTERM (idempotent) and unblocks both in the
    /// calling thread, and so in the threads it starts later: a launcher may hand its
    /// children a mask that blocks them (a test runner's worker thread does).
    public static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGINT, SIGTERM] {
            sigaddset(&set, number)
            signal(number) { number in
                if receivedSignal.exchange(number, ordering: .relaxed) != 0 { _exit(128 + number) }
            }
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal received since ``install()``, or nil.
    public static var received: Int32? {
        let number = receivedSignal.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// The signal's name for messages (`SIGINT`, `SIGTERM`).
    static func name(of number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }
}

/// Interrupts `fit` after the batch during which a stop signal arrived
/// (``StopSignals``): a ``BackupAndRestore`` then writes its checkpoint.
final class StopOnSignal: Callback {
    func batchEnded(_ batch: Int, logs: Logs, context: TrainingContext) throws {
        if StopSignals.received != nil { context.interrupt() }
    }
}
