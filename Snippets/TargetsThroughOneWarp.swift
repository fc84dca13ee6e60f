// One warp moves a mask, boxes and keypoints together; boxes that leave the output
// are dropped with their labels, keypoints that leave it turn invisible.
// snippet.hide
import Augmentation

// snippet.show
let warp = TargetWarp(matrix: .horizontalFlip(width: 64), sourceWidth: 64, sourceHeight: 48,
                      outputWidth: 64, outputHeight: 48, mirrorsHorizontally: true)
let targets = SampleTargets(
    mask: try SegmentationMask(classMap: [UInt16](repeating: 1, count: 64 * 48), width: 64, height: 48),
    boxes: try BoundingBoxes(format: .xywh, coordinates: [4, 6, 20, 10], labels: [3]),     // COCO xywh pixels
    keypoints: [try Keypoints([Keypoint(x: 10, y: 12), Keypoint(x: 30, y: 12)], flipPairs: [(0, 1)])])
let moved = targets.warped(by: warp, filter: BoxFilter(minArea: 16, minVisibility: 0.3))
print(moved.boxes!.coordinates, moved.keypoints[0].points)   // [40, 6, 20, 10]; left/right swapped
