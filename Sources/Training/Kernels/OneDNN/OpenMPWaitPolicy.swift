#if canImport(Glibc)
import Glibc
#endif

/// How long oneDNN's OpenMP threads (libgomp) spin at a barrier before they
/// sleep, which decides whether training survives a busy machine.
///
/// libgomp's default spins about 300,000 times: cheap on an idle machine,
/// but when another process takes a core, the thread left running spins
/// through its whole time slice waiting for the descheduled one, and
/// training on 2 threads falls below 1 thread (to 314 samples/s against
/// 1,981 in the table). `OMP_WAIT_POLICY=passive` sleeps at once and
/// costs the idle machine 15–20 %. A bounded spin of ``spinCount`` keeps the
/// idle speed (the next kernel's wake-up usually comes within it) and gives
/// the core back soon when it does not; measured figures are in the README.
///
/// libgomp reads `GOMP_SPINCOUNT` and `OMP_WAIT_POLICY` once, in its own
/// constructor, which runs before any constructor or `main` of the
/// program that links it (and `setenv` in a pre-init function is undone by
/// the C library's start-up). So a program sets the variable and replaces
/// itself with a fresh copy of its image, once, before it does anything else:
/// ``relaunchWithBoundedSpinning(arguments:)``. Numerics do not depend on
/// it: only how threads wait changes, not how work is split.
public enum OpenMPWaitPolicy {
    /// The `GOMP_SPINCOUNT` Augment runs with unless the user chose a wait policy.
    public static let spinCount = 2_000

    /// The environment variables that choose libgomp's wait.
    public static let variables = ["GOMP_SPINCOUNT", "OMP_WAIT_POLICY"]

    /// When neither `GOMP_SPINCOUNT` nor `OMP_WAIT_POLICY` is set, sets
    /// `GOMP_SPINCOUNT` to ``spinCount`` and re-executes `/proc/self/exe`
    /// with `arguments` (the same process id, open files and environment);
    /// returns only when a policy was already set or the re-execution failed,
    /// in which case the process continues with libgomp's default.
    /// Call it first in `main`, before any thread starts.
    public static func relaunchWithBoundedSpinning(arguments: [String]) {
        #if canImport(Glibc)
        guard variables.allSatisfy({ getenv($0) == nil }) else { return }
        setenv("GOMP_SPINCOUNT", String(spinCount), 1)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &argv)
        // Only reached when execv failed: keep running, with libgomp's defaults already in force.
        for pointer in argv { free(pointer) }
        unsetenv("GOMP_SPINCOUNT")
        #endif
    }

    /// "GOMP_SPINCOUNT=10000" or the user's setting, for the log line; "libgomp default" when none is set.
    public static var current: String {
        #if canImport(Glibc)
        for name in variables { if let value = getenv(name) { return "\(name)=\(String(cString: value))" } }
        #endif
        return "libgomp default"
    }
}
