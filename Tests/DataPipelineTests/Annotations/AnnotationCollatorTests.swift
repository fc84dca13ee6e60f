import Augmentation
import Tensors
import Testing
@testable import DataPipeline

/// Batch layout of targets: masks `[N, H, W]` or one-hot, boxes and keypoints padded
/// with counts and a ragged view.
@Suite struct AnnotationCollatorTests {
    private func sample(_ boxes: [Double], _ labels: [Int], mask: [UInt16], keypoints: [[Keypoint]]) throws -> SampleTargets {
        SampleTargets(mask: try SegmentationMask(classMap: mask, width: 2, height: 1),
                      boxes: try BoundingBoxes(format: .xyxy, coordinates: boxes, labels: labels),
                      keypoints: try keypoints.map { try Keypoints($0) })
    }

    @Test func padsAndCountsPerSample() throws {
        let samples = [try sample([0, 0, 1, 1, 2, 2, 3, 3], [4, 5], mask: [1, 255], keypoints: [[Keypoint(x: 1, y: 2)]]),
                       try sample([], [], mask: [0, 2], keypoints: [])]
        let batch = try AnnotationCollator().collate(samples)
        #expect(batch.masks == .classIndices(ClassIndices(shape: [2, 1, 2], values: [1, 255, 0, 2])))
        let boxes = try #require(batch.boxes)
        #expect(boxes.coordinates.shape == [2, 2, 4] && boxes.counts == [2, 0] && boxes.labels == [4, 5, -1, -1])
        #expect(Array(boxes.boxes(ofSample: 0).coordinates) == [0, 0, 1, 1, 2, 2, 3, 3])
        #expect(boxes.boxes(ofSample: 1).labels.isEmpty)
        let keypoints = try #require(batch.keypoints)
        #expect(keypoints.values.shape == [2, 1, 1, 3] && keypoints.counts == [1, 0])
        #expect(Array(keypoints.instances(ofSample: 0)) == [1, 2, 1] && keypoints.instances(ofSample: 1).isEmpty)
    }

    @Test func oneHotMasksZeroTheIgnoreIndex() throws {
        let samples = [try sample([], [], mask: [1, 255], keypoints: [])]
        let batch = try AnnotationCollator(oneHotClasses: 3).collate(samples)
        #expect(batch.masks == .oneHot(Tensor(shape: [1, 1, 2, 3], scalars: [0, 1, 0, 0, 0, 0])))
        #expect(batch.keypoints == nil)
    }

    @Test func inconsistentSamplesAreRefused() throws {
        var partial = try sample([], [], mask: [0, 0], keypoints: [])
        partial.mask = nil
        let full = try sample([], [], mask: [0, 0], keypoints: [])
        #expect(throws: DataPipelineError.self) { try AnnotationCollator().collate([full, partial]) }
        let mixed = [try sample([], [], mask: [0, 0], keypoints: [[Keypoint(x: 0, y: 0)]]),
                     try sample([], [], mask: [0, 0], keypoints: [[Keypoint(x: 0, y: 0), Keypoint(x: 1, y: 1)]])]
        #expect(throws: DataPipelineError.self) { try AnnotationCollator().collate(mixed) }
    }

    @Test func batchStaysSourceCompatible() {
        let batch = Batch(inputs: Tensor(shape: [1, 1]), targets: Tensor(shape: [1]))
        #expect(batch.annotations == nil)
    }

    /// Instance masks are padded with empty planes to the most instances of the batch.
    @Test func instanceMasksArePaddedWithACountPerSample() throws {
        let two = SampleTargets(mask: try SegmentationMask(instances: [[1, 0, 0], [0, 2, 1]], width: 3, height: 1))
        let none = SampleTargets(mask: try SegmentationMask(instances: [], width: 3, height: 1))
        let batch = try AnnotationCollator().collate([none, two])
        guard case .instances(let masks)? = batch.masks else { Issue.record("not instance masks"); return }
        #expect(masks.shape == [2, 2, 1, 3] && masks.counts == [0, 2])
        #expect(masks.values == [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1])
        #expect(masks.planes(ofSample: 0).isEmpty && Array(masks.planes(ofSample: 1)) == [1, 0, 0, 0, 1, 1])
        let classMap = SampleTargets(mask: try SegmentationMask(classMap: [0, 1, 2], width: 3, height: 1))
        #expect { _ = try AnnotationCollator().collate([two, classMap]) }
            throws: { "\($0)".contains("class-map and instance masks cannot share a batch") }
    }
}
