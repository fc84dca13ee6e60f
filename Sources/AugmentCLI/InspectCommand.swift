import ArgumentParser
import Foundation
import Imaging

/// `augment inspect PATH`: classes, counts, formats, sizes and unreadable files.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Decode every image under a folder of class sub-folders (or one file) and summarise it.",
        discussion: """
            Exits with status 1 when any image cannot be decoded (each is listed with its reason), \
            2 when PATH cannot be read.
            """)

    @Argument(help: "A folder of class sub-folders, or one image file.")
    var path: String

    func run() throws {
        let report: DatasetReport
        do {
            report = try DatasetInspector().inspect(path)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        print(report.rendered())
        if !report.unreadable.isEmpty { throw ExitCode(1) }
    }
}
