import Foundation
import Testing
import TestSupport
@testable import CPUBudget

struct MachineLoadTests {
    @Test func readsProcsRunning() {
        let stat = "cpu  1 2 3 4\ncpu0 1 2 3 4\nctxt 99\nprocs_running 5\nprocs_blocked 0\n"
        #expect(MachineLoad.procsRunning(stat: stat) == 5)
        #expect(MachineLoad.procsRunning(stat: "cpu 1 2 3\n") == nil)
    }

    @Test func countsOwnRunningThreadsAfterTheCommand() {
        // The command may hold spaces and parentheses; the state follows the last ')'.
        let stats = ["12 (augment) R 1 12 12", "13 (a (b) c) S 1 12 12", "14 (x) R 1", "15 (y) D 1"]
        #expect(MachineLoad.ownRunning(taskStats: stats) == 2)
    }

    @Test func takesTheLowerMedianOfTheReadings() {
        // Readings of 6, 2, 4 and 9 runnable threads, 1 of them this process's: 5, 1, 3, 8 others.
        var readings = [6, 2, 4, 9]
        let others = MachineLoad.othersRunning(samples: 4, interval: 0, read: { path in
            path == "/proc/stat" ? "procs_running \(readings.removeFirst())\n" : nil
        }, own: { 1 })
        #expect(others == 3)
        #expect(readings.isEmpty)
        #expect(MachineLoad.othersRunning(samples: 2, interval: 0, read: { _ in nil }, own: { 1 }) == nil)
        // This process's own threads are never counted as others.
        #expect(MachineLoad.othersRunning(samples: 1, interval: 0, read: { _ in "procs_running 1\n" }, own: { 3 }) == 0)
    }

    @Test func seesSpinningProcesses() throws {
        try withSpinningProcesses(2) {
            Thread.sleep(forTimeInterval: 0.05)
            #expect((MachineLoad.othersRunning() ?? 0) >= 2)
        }
    }
}
