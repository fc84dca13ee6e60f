import ArgumentParser

/// `augment bench`: release-build throughput measurements of each stage.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (build with -c release).",
        subcommands: [BenchAugmentCommand.self, BenchPipelineCommand.self, BenchDecodeCommand.self])
}
