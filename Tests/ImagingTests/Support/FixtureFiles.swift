import Foundation
import TestSupport
@testable import Imaging

/// Reads the committed codec fixtures (located through `RepositoryFiles`)
/// and compares decoded pixels with reference arrays.
enum FixtureFiles {
    /// Tests/ImagingTests/Fixtures
    static let root: URL = RepositoryFiles.fixture("ImagingTests", "")

    static func path(_ folder: String, _ name: String) -> String {
        root.appendingPathComponent(folder).appendingPathComponent(name).path
    }

    static func bytes(_ folder: String, _ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(folder, name))))
    }

    static func manifest<Entry: Decodable>(_ folder: String, as type: [Entry].Type) -> [Entry] {
        guard let data = try? Data(contentsOf: root.appendingPathComponent(folder).appendingPathComponent("manifest.json")),
              let entries = try? JSONDecoder().decode(type, from: data) else { return [] }
        return entries
    }

    /// Reads a little-endian .u16 reference.
    static func samples16(_ folder: String, _ name: String) throws -> [UInt16] {
        let raw = try bytes(folder, name)
        return stride(from: 0, to: raw.count, by: 2).map { UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8 }
    }

    /// Largest absolute difference between two equally long sample arrays.
    static func maxAbsDiff<S: BinaryInteger>(_ a: [S], _ b: [S]) -> Int {
        zip(a, b).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
    }
}

/// One entry of Fixtures/codecs/manifest.json (see scripts/make_codec_fixtures.py).
struct CodecFixture: Decodable, Sendable, CustomTestStringConvertible {
    let file: String
    let format: String
    let mode: String
    let width: Int
    let height: Int
    let channels: Int
    let bit_depth: Int
    let reference: String
    let max_abs_diff: Int
    let orientation: Int?
    let minimum_size: [Int]?
    let page: Int?
    let page_count: Int?

    var testDescription: String { "\(file) [\(mode)\(minimum_size.map { " min \($0)" } ?? "")\(page.map { " page \($0)" } ?? "")]" }

    var options: DecodeOptions {
        var options = DecodeOptions()
        if let size = minimum_size { options.minimumSize = (size[0], size[1]) }
        if let page { options.page = page }
        return options
    }
}

import Testing
