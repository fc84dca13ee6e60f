import ArgumentParser
import Foundation

/// `augment bench _spin --parent PID` (hidden): keeps one core busy until its
/// parent exits or it is terminated; the process `--load` starts.
struct BenchSpinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_spin", abstract: "Keep one core busy while PID is this process's parent.", shouldDisplay: false)

    @Option(help: "The process that started this one; spinning stops when it is gone.")
    var parent: Int32

    func run() {
        var state: UInt64 = 1
        while getppid() == parent {
            // About a millisecond of integer work between checks.
            for _ in 0..<1_000_000 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
            if state == 0 { print("") }  // keeps the loop from being optimised away
        }
    }
}
