import Testing
import TestSupport
@testable import Imaging

/// One entry of Fixtures/samples-reference/manifest.json (made by the samples/ generator with Pillow).
struct SampleReference: Decodable, Sendable, CustomTestStringConvertible {
    let file: String
    let format: String
    let width: Int
    let height: Int
    let channels: Int
    let bit_depth: Int
    let reference: String
    let max_abs_diff: Int
    var testDescription: String { file }
}

/// Every file in samples/ decodes to the independent decoder's pixels.
@Suite struct SampleFilesTests {
    static let samples = FixtureFiles.manifest("samples-reference", as: [SampleReference].self)

    @Test func manifestIsPresent() { #expect(!Self.samples.isEmpty) }

    @Test(arguments: samples)
    func decodesLikeTheReference(_ sample: SampleReference) throws {
        let path = RepositoryFiles.url(sample.file).path
        let info = try ImageInfo.probe(contentsOf: path)
        #expect(info.format.rawValue == sample.format)
        #expect(info.bitDepth == sample.bit_depth)
        if sample.bit_depth == 16 {
            let image = try Image16.decode(contentsOf: path)
            #expect(image.width == sample.width && image.height == sample.height && image.channels == sample.channels)
            let reference = try FixtureFiles.samples16("samples-reference", sample.reference)
            try #require(reference.count == image.pixels.count)
            #expect(FixtureFiles.maxAbsDiff(image.pixels, reference) <= sample.max_abs_diff)
        } else {
            let image = try Image.decode(contentsOf: path)
            #expect(image.width == sample.width && image.height == sample.height && image.channels == sample.channels)
            let reference = try FixtureFiles.bytes("samples-reference", sample.reference)
            try #require(reference.count == image.pixels.count)
            #expect(FixtureFiles.maxAbsDiff(image.pixels, reference) <= sample.max_abs_diff)
        }
    }
}
