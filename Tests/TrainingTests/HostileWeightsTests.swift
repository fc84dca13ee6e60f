import Foundation
import Testing
import TestSupport
@testable import Training

/// safetensors files whose headers lie about sizes or offsets are refused, naming the file and
/// the tensor, before any tensor is allocated (Fixtures/hostile, made by scripts/make_hostile_fixtures.py).
@Suite struct HostileWeightsTests {
    static let cases: [(file: String, reason: String)] = [
        ("header-length.safetensors", "header length 9223372036854775808 exceeds the file's 8 bytes after it"),
        ("shape-overflow.safetensors", "tensor 'w' has shape [1099511627776, 1099511627776], which is negative or too large"),
        ("offsets-outside.safetensors",
         "tensor 'w' has data_offsets [1125899906842624, 1125899906842640], which do not fit shape [4] (16 bytes) within the file's 16 bytes of data"),
        ("offsets-overflow.safetensors",
         "tensor 'w' has data_offsets [-9223372036854775808, 9223372036854775807], which do not fit shape [4] (16 bytes) within the file's 16 bytes of data"),
        ("shape-lies.safetensors",
         "tensor 'w' has data_offsets [0, 4000000000], which do not fit shape [1000000000] (4000000000 bytes) within the file's 16 bytes of data"),
    ]

    @Test(arguments: cases.map(\.file))
    func lyingHeaderIsRefused(_ file: String) throws {
        let path = RepositoryFiles.fixture("TrainingTests", "hostile/" + file).path
        let reason = Self.cases.first { $0.file == file }!.reason
        #expect(throws: TrainingError.weightsFile(path: path, reason: reason)) { _ = try SafeTensors.read(from: path) }
    }

    @Test func fifoAndDevicesAreRefusedWithoutReading() throws {
        let folder = try TemporaryDirectory()
        let fifo = folder.path("weights.safetensors")
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [fifo, "/dev/zero"] {
            #expect(throws: TrainingError.weightsFile(path: path, reason: "not a regular file")) {
                _ = try SafeTensors.read(from: path)
            }
        }
    }
}
