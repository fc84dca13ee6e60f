import Foundation
import Testing
import TestSupport
import DataPipeline
@testable import Workflows

/// Output folders are created when missing and never written through a pre-existing symbolic link.
@Suite struct RunFolderTests {
    @Test func missingFoldersAreCreatedAndExistingOnesKept() throws {
        let root = try TemporaryDirectory()
        try RunFolder.prepare(root.path("runs/digits"))
        try root.write("runs/digits/history.csv", "kept")
        try RunFolder.prepare(root.path("runs/digits"))
        #expect(try String(contentsOfFile: root.path("runs/digits/history.csv"), encoding: .utf8) == "kept")
    }

    @Test func aSymbolicLinkIsRefused() throws {
        let root = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: root.path("elsewhere"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.path("run"), withDestinationPath: root.path("elsewhere"))
        #expect(throws: WorkflowError.self) { try RunFolder.prepare(root.path("run")) }
        do { try RunFolder.prepare(root.path("run")) } catch {
            #expect("\(error)" == "\(root.path("run")): the output folder is a symbolic link (to \(root.path("elsewhere"))); "
                        + "give a real folder, so that nothing is written through the link")
        }
        try root.write("file", "x")
        #expect(throws: WorkflowError.self) { try RunFolder.prepare(root.path("file")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path("elsewhere")).isEmpty)
    }

    @Test func csvListingOutsideItsFolderNeedsThePipelinesPermission() throws {
        let root = try TemporaryDirectory()
        try root.write("data/list.csv", "filename,class\n../outside.png,x\n")
        try root.write("outside.png")
        let yaml = "data:\n  csv: data/list.csv\n  target_size: [8, 8]\n"
        try root.write("p.yaml", yaml)
        let pipeline = try PipelineFileLoader.load(path: root.path("p.yaml"))
        let error = #expect(throws: DataPipelineError.self) { _ = try TrainingSources(data: pipeline.data, split: 0) }
        #expect(error?.message == "record 2: '../outside.png' points outside \(root.path("data")) (allow it with allow_outside_paths: true)")
        try root.write("p.yaml", yaml + "  allow_outside_paths: true\n")
        let allowed = try PipelineFileLoader.load(path: root.path("p.yaml"))
        #expect(try TrainingSources(data: allowed.data, split: 0).training.path(of: 0) == root.path("outside.png"))
    }
}
