import ArgumentParser
@preconcurrency import Glibc
import Imaging
import Training

/// The `augment` command: preview, train, bench and inspect image pipelines.
@main
struct AugmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Image augmentation pipelines: preview, train, bench and inspect.",
        version: AugmentVersion.text,
        subcommands: [TrainCommand.self, PredictCommand.self, EvaluateCommand.self, PreviewCommand.self, BenchCommand.self, InspectCommand.self])

    /// Bounds libgomp's spinning (see `OpenMPWaitPolicy`), then parses and runs the command.
    ///
    /// Standard error becomes line-buffered first: ArgumentParser prints an error one byte at
    /// a time (`putc`), and on an unbuffered stream each byte is its own `write`, so under
    /// `mpirun` the messages of two ranks interleave letter by letter. Whole lines stay whole.
    static func main() async {
        setvbuf(stderr, nil, _IOLBF, 0)
        OpenMPWaitPolicy.relaunchWithBoundedSpinning(arguments: CommandLine.arguments)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// The version line printed by `augment --version`.
enum AugmentVersion {
    static let number = "0.1.0"
    static var text: String { "augment \(number) (\(ImageFormat.libraryVersions))" }
}
