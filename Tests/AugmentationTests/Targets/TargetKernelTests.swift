import Testing
@testable import Augmentation

/// The target kernels' own rules: formats, filtering policy, flip pairs, fills, errors.
@Suite struct TargetKernelTests {
    private let flip = TargetWarp(matrix: .horizontalFlip(width: 10), sourceWidth: 10, sourceHeight: 8,
                                  outputWidth: 10, outputHeight: 8, mirrorsHorizontally: true)

    @Test func formatsConvertThroughPixelCorners() throws {
        let coco = try BoundingBoxes(format: .xywh, coordinates: [2, 1, 4, 6], labels: [1])
        let yolo = coco.converted(to: .cxcywh, normalized: true, width: 10, height: 8)
        #expect(zip(yolo.coordinates, [0.4, 0.5, 0.4, 0.75]).allSatisfy { abs($0 - $1) < 1e-12 })
        let voc = yolo.converted(to: .xyxy, normalized: false, width: 10, height: 8)
        #expect(zip(voc.coordinates, [2, 1, 6, 7]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func flipMirrorsBoxesInTheirOwnFormat() throws {
        let yolo = try BoundingBoxes(format: .cxcywh, normalized: true, coordinates: [0.2, 0.5, 0.2, 0.5], labels: [3])
        let moved = yolo.warped(by: flip)
        #expect(moved.format == .cxcywh && moved.normalized)
        #expect(zip(moved.coordinates, [0.8, 0.5, 0.2, 0.5]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func boxesOutsideAreDroppedWithTheirLabelsOrKept() throws {
        let boxes = try BoundingBoxes(format: .xyxy, coordinates: [1, 1, 3, 3, 8, 1, 12, 3], labels: [4, 5])
        let shift = TargetWarp(matrix: .translation(2, 0), sourceWidth: 10, sourceHeight: 8, outputWidth: 10, outputHeight: 8)
        let dropped = boxes.warped(by: shift, filter: BoxFilter(minVisibility: 0.5))
        #expect(dropped.labels == [4] && dropped.coordinates == [3, 1, 5, 3])
        let kept = boxes.warped(by: shift, filter: BoxFilter(minVisibility: 0.5, policy: .keep))
        #expect(kept.labels == [4, 5] && kept.coordinates == [3, 1, 5, 3, 10, 1, 10, 3])
        let sizes = try BoundingBoxes(format: .xyxy, coordinates: [1, 1, 3, 3, 1, 1, 4, 4], labels: [4, 5])
        let byArea = sizes.warped(by: .init(matrix: .identity, sourceWidth: 10, sourceHeight: 8, outputWidth: 10,
                                            outputHeight: 8), filter: BoxFilter(minArea: 5))
        #expect(byArea.labels == [5])
    }

    /// A dropped box takes its instance plane and its keypoints with it (torchvision's
    /// SanitizeBoundingBoxes), so what is left stays aligned by index.
    @Test func aDroppedBoxTakesItsInstancePlaneAndKeypointsWithIt() throws {
        let shift = TargetWarp(matrix: .translation(2, 0), sourceWidth: 4, sourceHeight: 1, outputWidth: 4, outputHeight: 1)
        let targets = SampleTargets(
            mask: try SegmentationMask(instances: [[1, 0, 0, 0], [0, 0, 1, 1], [0, 1, 0, 0]], width: 4, height: 1),
            boxes: try BoundingBoxes(format: .xyxy, coordinates: [0, 0, 1, 1, 2, 0, 4, 1, 1, 0, 2, 1], labels: [7, 8, 9]),
            keypoints: [try Keypoints([Keypoint(x: 0, y: 0)]), try Keypoints([Keypoint(x: 3, y: 0)]), try Keypoints([Keypoint(x: 1, y: 0)])])
        let moved = targets.warped(by: shift, filter: BoxFilter(minVisibility: 0.9))
        #expect(moved.boxes?.labels == [7, 9])
        #expect(moved.mask?.planeCount == 2 && moved.mask?.values == [0, 0, 1, 0, 0, 0, 0, 1])
        #expect(moved.keypoints.map { $0.points[0].x } == [2, 3])
        // Not aligned with the boxes (another count): left as they are.
        var loose = targets
        loose.keypoints.removeLast()
        #expect(loose.warped(by: shift, filter: BoxFilter(minVisibility: 0.9)).keypoints.count == 2)
        #expect(targets.warped(by: shift, filter: BoxFilter(minVisibility: 0.9, policy: .keep)).mask?.planeCount == 3)
    }

    /// The Int32 widening (streaming stores from the first aligned element) gives every value,
    /// at any start alignment and length.
    @Test func valuesWidenToInt32AtAnyAlignment() throws {
        let width = 37
        let values = (0..<(width * 11)).map { UInt16(truncatingIfNeeded: $0 &* 40503) }
        let mask = try SegmentationMask(classMap: values, width: width, height: 11)
        var buffer = [Int32](repeating: -1, count: values.count + 40)
        for offset in 0..<17 {
            buffer.withUnsafeMutableBufferPointer { all in
                mask.writeValues(into: UnsafeMutableBufferPointer(rebasing: all[offset ..< (offset + values.count)]))
            }
            #expect(Array(buffer[offset ..< (offset + values.count)]) == values.map { Int32($0) }, "offset \(offset)")
            #expect(buffer[(offset + values.count)...].allSatisfy { $0 == -1 }, "nothing past the range, offset \(offset)")
        }
    }

    @Test func keypointsOutsideStayButTurnInvisible() throws {
        let points = try Keypoints([Keypoint(x: 1, y: 1), Keypoint(x: 9, y: 2), Keypoint(x: 4, y: 4, visible: false)])
        let moved = points.warped(by: .init(matrix: .translation(1.5, 0), sourceWidth: 10, sourceHeight: 8,
                                            outputWidth: 10, outputHeight: 8))
        #expect(moved.points.map(\.visible) == [true, false, false])
        #expect(moved.points.map(\.x) == [2.5, 10.5, 5.5])
    }

    @Test func horizontalFlipSwapsPairs() throws {
        let points = try Keypoints([Keypoint(x: 2, y: 3), Keypoint(x: 7, y: 3), Keypoint(x: 5, y: 6)], flipPairs: [(0, 1)])
        let moved = points.warped(by: flip)
        #expect(moved.points.map(\.x) == [2, 7, 4])   // left stays left: the right eye's point moved there
        #expect(moved.flipPairs == points.flipPairs)
    }

    @Test func maskFillsOutsideWithIgnoreIndexAndInstancesWithZero() throws {
        let shift = TargetWarp(matrix: .translation(1, 0), sourceWidth: 2, sourceHeight: 1, outputWidth: 2, outputHeight: 1)
        let classes = try SegmentationMask(classMap: [3, 4], width: 2, height: 1)
        #expect(classes.warped(by: shift).values == [255, 3])
        #expect(classes.warped(by: shift, fill: 9).values == [9, 3])
        let instances = try SegmentationMask(instances: [[1, 0], [0, 7]], width: 2, height: 1)
        #expect(instances.planeCount == 2)
        #expect(instances.warped(by: shift).values == [0, 1, 0, 0])
    }

    @Test func badShapesAreTypedErrors() {
        #expect(throws: AugmentationError.self) { try SegmentationMask(classMap: [1, 2, 3], width: 2, height: 2) }
        #expect(throws: AugmentationError.self) { try SegmentationMask(instances: [[1]], width: 2, height: 1) }
        #expect(throws: AugmentationError.self) { try BoundingBoxes(format: .xyxy, coordinates: [1, 2, 3], labels: [0]) }
        #expect(throws: AugmentationError.self) { try Keypoints([Keypoint(x: 0, y: 0)], flipPairs: [(0, 1)]) }
    }

    @Test func matrixInverseAndComposition() throws {
        let m = TargetAffine.rotation(degrees: 30, aboutX: 4, y: 3).after(.scale(2, 0.5)).after(.translation(1, -2))
        let inverse = try #require(m.inverted())
        let (x, y) = inverse.after(m).apply(x: 5, y: 7)
        #expect(abs(x - 5) < 1e-12 && abs(y - 7) < 1e-12)
        #expect(TargetAffine.scale(0, 1).inverted() == nil)
    }
}
