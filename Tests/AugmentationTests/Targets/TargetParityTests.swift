import Foundation
import Testing
import TestSupport
@testable import Augmentation

/// Boxes, keypoints and masks moved by `TargetWarp` match albumentations' kernels on the
/// fixtures of scripts/make_target_fixtures.py.
@Suite struct TargetParityTests {
    struct Fixture: Decodable, Sendable {
        struct Case: Decodable, Sendable, CustomTestStringConvertible {
            let name: String
            let matrix: [Double]
            let width: Int
            let height: Int
            let min_area: Double
            let min_visibility: Double
            let boxes: [[Double]]
            let keypoints: [[JSONScalar]]
            let mask: [UInt16]
            var testDescription: String { name }
        }
        let source_width: Int
        let source_height: Int
        let boxes: [[Double]]
        let keypoints: [[Double]]
        let mask: [UInt16]
        let cases: [Case]
    }

    /// A number or a Boolean in a mixed JSON array.
    enum JSONScalar: Decodable, Sendable {
        case number(Double)
        case flag(Bool)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) { self = .flag(flag) } else { self = .number(try container.decode(Double.self)) }
        }
        var number: Double { if case .number(let v) = self { v } else { .nan } }
        var flag: Bool { if case .flag(let v) = self { v } else { false } }
    }

    static let fixture: Fixture = {
        let url = RepositoryFiles.fixture("AugmentationTests", "targets/albumentations.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    private func warp(_ c: Fixture.Case) -> TargetWarp {
        TargetWarp(fixtureMatrix: c.matrix, sourceWidth: Self.fixture.source_width, sourceHeight: Self.fixture.source_height,
                   outputWidth: c.width, outputHeight: c.height)
    }

    @Test func fixtureIsPresent() {
        #expect(Self.fixture.cases.count == 5)
    }

    @Test(arguments: fixture.cases)
    func boxesMatchAlbumentations(_ c: Fixture.Case) throws {
        let boxes = try BoundingBoxes(format: .xyxy, coordinates: Self.fixture.boxes.flatMap { $0 },
                                      labels: Array(Self.fixture.boxes.indices))
        let moved = boxes.warped(by: warp(c), filter: BoxFilter(minArea: c.min_area, minVisibility: c.min_visibility))
        #expect(moved.labels == c.boxes.map { Int($0[4]) })
        try #require(moved.coordinates.count == 4 * c.boxes.count)
        for (index, expected) in c.boxes.enumerated() {
            for k in 0..<4 { #expect(abs(moved.coordinates[4 * index + k] - expected[k]) < 1e-9) }
        }
    }

    @Test(arguments: fixture.cases)
    func keypointsMatchAlbumentations(_ c: Fixture.Case) throws {
        let points = try Keypoints(Self.fixture.keypoints.map { Keypoint(x: $0[0], y: $0[1]) })
        let moved = points.warped(by: warp(c))
        for (point, expected) in zip(moved.points, c.keypoints) {
            #expect(abs(point.x - expected[0].number) < 1e-4 && abs(point.y - expected[1].number) < 1e-4)
            #expect(point.visible == expected[2].flag)
        }
    }

    @Test(arguments: fixture.cases)
    func masksMatchOpenCVNearest(_ c: Fixture.Case) throws {
        let mask = try SegmentationMask(classMap: Self.fixture.mask, width: Self.fixture.source_width,
                                        height: Self.fixture.source_height)
        let moved = mask.warped(by: warp(c))
        #expect(moved.width == c.width && moved.height == c.height)
        let agreeing = zip(moved.values, c.mask).filter { $0 == $1 }.count
        // OpenCV rounds coordinates to 1/1024 pixel first, so an exact half may fall either way.
        #expect(Double(agreeing) >= 0.99 * Double(c.mask.count))
    }
}

extension TargetWarp {
    /// The warp of a reference fixture's six numbers `a b c d e f` (pixel index, source → output).
    init(fixtureMatrix m: [Double], sourceWidth: Int, sourceHeight: Int, outputWidth: Int, outputHeight: Int) {
        self.init(matrix: TargetAffine(a: m[0], b: m[1], c: m[2], d: m[3], e: m[4], f: m[5]), sourceWidth: sourceWidth,
                  sourceHeight: sourceHeight, outputWidth: outputWidth, outputHeight: outputHeight)
    }
}
