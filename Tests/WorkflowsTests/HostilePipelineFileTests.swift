import Foundation
import Testing
import TestSupport
@testable import Workflows

/// Hostile pipeline files (Fixtures/hostile, made by scripts/make_hostile_fixtures.py): each is
/// refused with an error naming the file, the line where the parser knows it, and the key.
@Suite struct HostilePipelineFileTests {
    static let cases: [(file: String, message: String)] = [
        ("billion-laughs.yaml", ":2:9: its aliases (*name) expand to more than 100000 values; a pipeline file needs a few hundred"),
        ("deep-flow.yaml", ":5:72: nested more than 64 levels deep"),
        ("deep-block.yaml", ":7:133: nested more than 64 levels deep"),
        ("not-utf8.yaml", ":5:17: not UTF-8 text (byte 0xE9 at offset 83)"),
        ("wrong-type.yaml", ":4:3: data.batch_size: expected a single value, found a list"),
        ("batch_size-0.yaml", ":4:3: data.batch_size: must be at least 1, got 0"),
        ("batch_size-minus-1.yaml", ":4:3: data.batch_size: must be at least 1, got -1"),
        ("target_size-0.yaml", ":3:3: data.target_size: expected [height, width] with each in 1...16384, got [0, 28]"),
        ("target_size-minus-28.yaml", ":3:3: data.target_size: expected [height, width] with each in 1...16384, got [-28, 28]"),
        ("target_size-1000000000.yaml",
         ":3:3: data.target_size: expected [height, width] with each in 1...16384, got [1000000000, 28]"),
        ("workers-0.yaml", ":5:3: data.workers: must be auto or a positive integer, got '0'"),
        ("workers-minus-2.yaml", ":5:3: data.workers: must be auto or a positive integer, got '-2'"),
        ("workers-1000000000.yaml", ":5:3: data.workers: must be at most 1024, got 1000000000"),
        ("prefetch-0.yaml", ":5:3: data.prefetch: must be at least 1, got 0"),
        ("prefetch-minus-1.yaml", ":5:3: data.prefetch: must be at least 1, got -1"),
        // Found by the pipeline fuzz target: Yams traps on base-60 integers that overflow.
        ("sexagesimal-overflow.yaml",
         ":4:15: data.batch_size: '1:0:0:0:0:0:0:0:0:0:0:0' reads as a base-60 number (as 1:30:00) too large for an integer"),
        ("sexagesimal-overflow-list.yaml",
         ":3:21: data.target_size[1]: '922337203685477580:59' reads as a base-60 number (as 1:30:00) too large for an integer"),
    ]

    @Test(arguments: cases.map(\.file))
    func hostileFileGetsItsNamedError(_ file: String) throws {
        let path = RepositoryFiles.fixture("WorkflowsTests", "hostile/" + file).path
        let error = #expect(throws: PipelineFileError.self) { _ = try PipelineFileLoader.load(path: path) }
        let expected = Self.cases.first { $0.file == file }!.message
        #expect(error?.description == path + expected)
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let folder = try TemporaryDirectory()
        let fifo = folder.path("pipeline.yaml")
        #expect(mkfifo(fifo, 0o600) == 0)
        let error = #expect(throws: PipelineFileError.self) { _ = try PipelineFileLoader.load(path: fifo) }
        #expect(error?.description == "\(fifo): cannot read the file: not a regular file (a FIFO)")
    }

    @Test func aFileOverOneMebibyteIsRefusedUnread() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("big.yaml")
        try Data(repeating: 0x20, count: PipelineFileLoader.maximumFileSize + 1).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: PipelineFileError.self) { _ = try PipelineFileLoader.load(path: path) }
        #expect(error?.reason == "larger than 1048576 bytes: not a pipeline file")
    }

    @Test func baseSixtyNumbersThatFitAreStillRead() throws {
        #expect(!YAMLText.sexagesimalOverflows("1:30:00"))
        #expect(!YAMLText.sexagesimalOverflows("http://example.com"))
        #expect(!YAMLText.sexagesimalOverflows("0x10:20"))
        #expect(YAMLText.sexagesimalOverflows("-1:0:0:0:0:0:0:0:0:0:0:0"))
        let file = try PipelineFileLoader.parse(yaml: "data:\n  directory: images\n  batch_size: 1:30\n", file: "p.yaml")
        #expect(file.data.batchSize == 90)
    }

    @Test func quotedBracketsAndCommentsDoNotCountAsNesting() throws {
        let brackets = String(repeating: "[", count: 100)
        _ = try PipelineFileLoader.parse(yaml: """
            # \(brackets)
            data:
              directory: "\(brackets)"
              x_col: '\(brackets)'
            """, file: "p.yaml")
    }
}
