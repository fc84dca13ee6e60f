import ArgumentParser
import CImageCodecs

/// The `augment` command: preview, train, bench and inspect image pipelines.
@main
struct AugmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Image augmentation pipelines: preview, train, bench and inspect.",
        version: AugmentVersion.text,
        subcommands: [TrainCommand.self, PreviewCommand.self, BenchCommand.self, InspectCommand.self])
}

/// The version line printed by `augment --version`.
enum AugmentVersion {
    static let number = "0.1.0"
    static var text: String { "augment \(number) (\(String(cString: aug_codec_versions())))" }
}
