import ArgumentParser

/// `augment bench`: release-build throughput measurements of each stage.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (build with -c release).",
        subcommands: [BenchDecodeCommand.self, BenchAugmentCommand.self, BenchPipelineCommand.self,
                      BenchTrainCommand.self, BenchModelCommand.self, BenchSpinCommand.self])
}
