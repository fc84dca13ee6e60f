import Foundation
import Testing
import TestSupport
@testable import Augmentation

/// Boxes, masks and keypoints moved by `TargetWarp` match torchvision v2's `F.affine` on
/// `BoundingBoxes`, `Mask` and `KeyPoints`, on the fixtures of
/// scripts/make_torchvision_target_fixtures.py (torchvision's own matrix, in Augment's
/// pixel-index convention).
@Suite struct TorchvisionTargetParityTests {
    struct Fixture: Decodable, Sendable {
        struct Case: Decodable, Sendable, CustomTestStringConvertible {
            let matrix: [Double]
            let boxes: [[Double]]
            let mask: [UInt16]
            let keypoints: [[Double]]
            var testDescription: String { "matrix \(matrix.map { ($0 * 1000).rounded() / 1000 })" }
        }
        let width: Int
        let height: Int
        let boxes: [[Double]]
        let mask: [UInt16]
        let keypoints: [[Double]]
        let cases: [Case]
    }

    static let fixture: Fixture = {
        let url = RepositoryFiles.fixture("AugmentationTests", "targets/torchvision.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    private func warp(_ c: Fixture.Case) -> TargetWarp {
        TargetWarp(fixtureMatrix: c.matrix, sourceWidth: Self.fixture.width, sourceHeight: Self.fixture.height,
                   outputWidth: Self.fixture.width, outputHeight: Self.fixture.height)
    }

    @Test func fixtureIsPresent() {
        #expect(Self.fixture.cases.count == 5)
    }

    /// torchvision keeps every box (clamped); so does Augment's filter at its defaults here.
    @Test(arguments: fixture.cases)
    func boxesMatchTorchvision(_ c: Fixture.Case) throws {
        let boxes = try BoundingBoxes(format: .xyxy, coordinates: Self.fixture.boxes.flatMap { $0 },
                                      labels: Array(Self.fixture.boxes.indices))
        let moved = boxes.warped(by: warp(c))
        try #require(moved.coordinates.count == 4 * c.boxes.count)
        for (index, expected) in c.boxes.enumerated() {
            for k in 0..<4 { #expect(abs(moved.coordinates[4 * index + k] - expected[k]) < 1e-4, "box \(index)[\(k)]") }
        }
    }

    @Test(arguments: fixture.cases)
    func keypointsMatchTorchvision(_ c: Fixture.Case) throws {
        let points = try Keypoints(Self.fixture.keypoints.map { Keypoint(x: $0[0], y: $0[1]) })
        let moved = points.warped(by: warp(c))
        for (point, expected) in zip(moved.points, c.keypoints) {
            #expect(abs(point.x - expected[0]) < 1e-4 && abs(point.y - expected[1]) < 1e-4)
            // torchvision keeps coordinates only; Augment also marks the ones outside the output
            // invisible, by albumentations' test (0 ≤ x < width, 0 ≤ y < height).
            let inside = expected[0] >= 0 && expected[1] >= 0
                && expected[0] < Double(Self.fixture.width) && expected[1] < Double(Self.fixture.height)
            #expect(point.visible == inside)
        }
    }

    /// Nearest sampling with the ignore index outside; torchvision's grid sampling may round an
    /// exact half the other way, so agreement on 99 % of the pixels.
    @Test(arguments: fixture.cases)
    func masksMatchTorchvisionNearest(_ c: Fixture.Case) throws {
        let mask = try SegmentationMask(classMap: Self.fixture.mask, width: Self.fixture.width, height: Self.fixture.height)
        let moved = mask.warped(by: warp(c))
        let agreeing = zip(moved.values, c.mask).filter { $0 == $1 }.count
        #expect(Double(agreeing) >= 0.99 * Double(c.mask.count), "\(agreeing) of \(c.mask.count)")
    }
}
