import Testing
@testable import Imaging

/// One entry of Fixtures/resize/manifest.json: Pillow's `Image.resize` output.
struct ResizeFixture: Decodable, Sendable, CustomTestStringConvertible {
    let source: String
    let source_width: Int
    let source_height: Int
    let channels: Int
    let interpolation: String
    let width: Int
    let height: Int
    let reference: String
    var testDescription: String { "\(reference)" }
}

@Suite struct ResizeTests {
    static let fixtures = FixtureFiles.manifest("resize", as: [ResizeFixture].self)

    @Test func manifestIsPresent() { #expect(Self.fixtures.count == 72) }

    @Test(arguments: fixtures)
    func matchesPillow(_ fixture: ResizeFixture) throws {
        let source = try Image(width: fixture.source_width, height: fixture.source_height, channels: fixture.channels,
                               pixels: try FixtureFiles.bytes("resize", fixture.source))
        let interpolation = try #require(Interpolation(rawValue: fixture.interpolation))
        let resized = try source.resized(width: fixture.width, height: fixture.height, interpolation: interpolation)
        let reference = try FixtureFiles.bytes("resize", fixture.reference)
        #expect(resized.width == fixture.width && resized.height == fixture.height)
        #expect(FixtureFiles.maxAbsDiff(resized.pixels, reference) <= 1)
    }

    @Test func boxDownscaleAveragesBlocks() throws {
        // Hand-computed: 2x2 blocks of a 4x2 gray image.
        let image = try Image(width: 4, height: 2, channels: 1, pixels: [0, 10, 100, 200, 20, 30, 50, 50])
        let half = try image.resized(width: 2, height: 1, interpolation: .box)
        #expect(half.pixels == [15, 100])
    }

    @Test func refusesEmptyTargets() throws {
        let image = Image(width: 2, height: 2, channels: 3)
        #expect(throws: ImageError.self) { _ = try image.resized(width: 0, height: 2) }
    }
}
