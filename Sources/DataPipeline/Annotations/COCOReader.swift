import Augmentation
import Foundation

/// Reads a COCO JSON file (instances or person keypoints) into an ``AnnotationSet``.
///
/// - Boxes: COCO's `xywh` pixels; labels are contiguous indices of the categories sorted
///   by id (``AnnotationSet/classNames``).
/// - Segmentations (polygons or RLE, compressed or not) become one 0/1 plane per
///   instance, or one class map with `label + 1` per pixel (0 = background).
/// - `iscrowd: 1` regions are not objects: they give no box, instance or keypoints; in a
///   class map they are painted `ignoreIndex` so the loss skips them (Detectron's rule).
/// - Keypoints: COCO's `(x, y, v)` triples; `v = 0` is invisible, 1 and 2 visible.
///   Coordinates are used as given (pixel-index convention, as albumentations).
///
/// A bad record (box outside its image, unknown category, polygon under 3 points, RLE of
/// another size) marks its image with an ``AnnotationError`` naming the file and the
/// annotation id, for the bad-file policy; a file that is not COCO JSON throws.
///
/// ```swift
/// let set = try COCOReader(masks: .instances).read("annotations/instances_val.json", imageDirectory: "val2017")
/// ```
public struct COCOReader: Sendable {
    /// How segmentations are delivered.
    public enum MaskKind: String, Sendable, Equatable, Codable {
        /// No mask.
        case none
        /// One binary plane per (non-crowd) instance, in annotation order.
        case instances
        /// One class map: `label + 1` per pixel, 0 background, crowd regions `ignoreIndex`.
        case semantic
    }

    public var masks: MaskKind
    public var ignoreIndex: UInt16

    public init(masks: MaskKind = .none, ignoreIndex: UInt16 = SegmentationMask.defaultIgnoreIndex) {
        self.masks = masks
        self.ignoreIndex = ignoreIndex
    }

    /// - Throws: ``AnnotationError`` `.malformedFile` when the file cannot be read or is
    ///   not COCO JSON, `.missingImage` when an annotation names an image id not listed.
    public func read(_ path: String, imageDirectory: String) throws(AnnotationError) -> AnnotationSet {
        let file: COCOFile
        do {
            file = try JSONDecoder().decode(COCOFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw AnnotationError(.malformedFile, path: path, message: "not a COCO annotation file: \(error)")
        }
        let categories = file.categories.sorted { $0.id < $1.id }
        let labels = Dictionary(categories.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var byImage = [Int: [COCOFile.Annotation]]()
        let imageIDs = Set(file.images.map(\.id))
        for annotation in file.annotations {
            guard imageIDs.contains(annotation.image_id) else {
                throw AnnotationError(.missingImage, path: path, record: "annotation id \(annotation.id)",
                                      message: "image_id \(annotation.image_id) is not in `images`")
            }
            byImage[annotation.image_id, default: []].append(annotation)
        }
        let images = file.images.map { image in
            AnnotatedImage(imagePath: imageDirectory + "/" + image.file_name,
                           targets: Result { () throws(AnnotationError) in
                               try targets(of: image, byImage[image.id] ?? [], labels: labels, path: path)
                           })
        }
        return AnnotationSet(images: images, classNames: categories.map(\.name))
    }

    private func targets(of image: COCOFile.ImageEntry, _ annotations: [COCOFile.Annotation], labels: [Int: Int],
                         path: String) throws(AnnotationError) -> SampleTargets {
        let (width, height) = (image.width, image.height)
        var coordinates = [Double](), boxLabels = [Int](), keypoints = [Keypoints]()
        var instances = [[UInt8]]()
        var classMap = [UInt16](repeating: 0, count: masks == .semantic ? width * height : 0)
        for annotation in annotations {
            let record = "annotation id \(annotation.id)"
            guard let label = labels[annotation.category_id] else {
                throw AnnotationError(.unknownCategory, path: path, record: record,
                                      message: "category_id \(annotation.category_id) is not in `categories`")
            }
            let crowd = annotation.iscrowd == 1
            if masks != .none, let segmentation = annotation.segmentation {
                let plane = try rasterise(segmentation, width: width, height: height, path: path, record: record)
                if masks == .instances, !crowd { instances.append(plane) }
                if masks == .semantic {
                    let value = crowd ? ignoreIndex : UInt16(label + 1)
                    for i in plane.indices where plane[i] != 0 { classMap[i] = value }
                }
            }
            guard !crowd else { continue }
            if let box = annotation.bbox {
                guard box.count == 4 else {
                    throw AnnotationError(.malformedFile, path: path, record: record, message: "bbox has \(box.count) numbers, not 4")
                }
                let tolerance = 1e-6
                guard box[2] > 0, box[3] > 0, box[0] >= -tolerance, box[1] >= -tolerance,
                      box[0] + box[2] <= Double(width) + tolerance, box[1] + box[3] <= Double(height) + tolerance else {
                    throw AnnotationError(.boxOutsideImage, path: path, record: record,
                                          message: "bbox \(box) does not fit in the \(width)x\(height) image \(image.file_name)")
                }
                coordinates.append(contentsOf: box)
                boxLabels.append(label)
            }
            if let values = annotation.keypoints {
                guard values.count % 3 == 0 else {
                    throw AnnotationError(.malformedFile, path: path, record: record,
                                          message: "keypoints has \(values.count) numbers, not (x, y, v) triples")
                }
                let points = stride(from: 0, to: values.count, by: 3).map {
                    Keypoint(x: values[$0], y: values[$0 + 1], visible: values[$0 + 2] > 0)
                }
                do { keypoints.append(try Keypoints(points)) } catch {
                    throw AnnotationError(.malformedFile, path: path, record: record, message: "\(error)")
                }
            }
        }
        do {
            let mask: SegmentationMask? = switch masks {
            case .none: nil
            case .instances: try SegmentationMask(instances: instances, width: width, height: height)
            case .semantic: try SegmentationMask(classMap: classMap, width: width, height: height)
            }
            return SampleTargets(mask: mask, boxes: try BoundingBoxes(format: .xywh, coordinates: coordinates, labels: boxLabels),
                                 keypoints: keypoints)
        } catch {
            throw AnnotationError(.malformedFile, path: path, record: "image id \(image.id)", message: "\(error)")
        }
    }

    private func rasterise(_ segmentation: COCOFile.Segmentation, width: Int, height: Int, path: String,
                           record: String) throws(AnnotationError) -> [UInt8] {
        switch segmentation {
        case .polygons(let polygons):
            var plane = [UInt8](repeating: 0, count: width * height)
            for polygon in polygons {
                guard polygon.count >= 6, polygon.count % 2 == 0 else {
                    throw AnnotationError(.badSegmentation, path: path, record: record,
                                          message: "a polygon needs at least 3 (x, y) points, got \(polygon.count) numbers")
                }
                RunLengthMask.fill(polygon: polygon, into: &plane, width: width, height: height)
            }
            return plane
        case .runLengths(let counts, let h, let w):
            return try plane(counts, h, w, width: width, height: height, path: path, record: record)
        case .compressedRunLengths(let text, let h, let w):
            guard let counts = RunLengthMask.counts(fromCompressed: text) else {
                throw AnnotationError(.badSegmentation, path: path, record: record, message: "RLE counts string is not valid")
            }
            return try plane(counts, h, w, width: width, height: height, path: path, record: record)
        }
    }

    private func plane(_ counts: [Int], _ h: Int, _ w: Int, width: Int, height: Int, path: String,
                       record: String) throws(AnnotationError) -> [UInt8] {
        guard h == height, w == width else {
            throw AnnotationError(.maskSizeMismatch, path: path, record: record,
                                  message: "RLE size \(w)x\(h) differs from the image's \(width)x\(height)")
        }
        guard let plane = RunLengthMask.plane(counts: counts, width: width, height: height) else {
            throw AnnotationError(.badSegmentation, path: path, record: record,
                                  message: "RLE counts do not cover \(width)x\(height) pixels")
        }
        return plane
    }
}
