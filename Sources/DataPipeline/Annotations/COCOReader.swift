import Augmentation
import Foundation

/// Reads a COCO JSON file (instances or person keypoints) into an ``AnnotationSet``.
///
/// - Boxes: COCO's `xywh` pixels; labels are contiguous indices of the categories sorted
///   by id (``AnnotationSet/classNames``).
/// - Segmentations (polygons or RLE, compressed or not) become one 0/1 plane per
///   instance, or one class map with `label + 1` per pixel (0 = background). They are checked
///   when the file is read and rasterised each time a sample's targets are asked for, so a
///   large set costs the memory of its polygons and run lengths, not of its masks.
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
            let imagePath = imageDirectory + "/" + image.file_name
            do throws(AnnotationError) {
                let (targets, masks) = try targets(of: image, byImage[image.id] ?? [], labels: labels, path: path)
                return AnnotatedImage(imagePath: imagePath, targets: .success(targets), pendingMask: masks)
            } catch {
                return AnnotatedImage(imagePath: imagePath, targets: .failure(error))
            }
        }
        return AnnotationSet(images: images, classNames: categories.map(\.name))
    }

    /// The image's boxes and keypoints, and its checked segmentations (`nil` without masks).
    private func targets(of image: COCOFile.ImageEntry, _ annotations: [COCOFile.Annotation], labels: [Int: Int],
                         path: String) throws(AnnotationError) -> (SampleTargets, COCOMasks?) {
        let (width, height) = (image.width, image.height)
        let pixels = width.multipliedReportingOverflow(by: height)
        guard masks == .none || (width > 0 && height > 0 && !pixels.overflow && pixels.partialValue <= Int(Int32.max)) else {
            throw AnnotationError(.malformedFile, path: path, record: "image id \(image.id)",
                                  message: "size \(width)x\(height) is not a positive size a mask can have")
        }
        var coordinates = [Double](), boxLabels = [Int](), keypoints = [Keypoints]()
        var regions = [COCOMasks.Region]()
        for annotation in annotations {
            let record = "annotation id \(annotation.id)"
            guard let label = labels[annotation.category_id] else {
                throw AnnotationError(.unknownCategory, path: path, record: record,
                                      message: "category_id \(annotation.category_id) is not in `categories`")
            }
            let crowd = annotation.iscrowd == 1
            if masks != .none, let segmentation = annotation.segmentation {
                let shape = try checked(segmentation, width: width, height: height, path: path, record: record)
                regions.append(COCOMasks.Region(shape: shape, label: label, crowd: crowd))
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
            let pending = masks == .none ? nil
                : COCOMasks(kind: masks, width: width, height: height, ignoreIndex: ignoreIndex, regions: regions)
            return (SampleTargets(boxes: try BoundingBoxes(format: .xywh, coordinates: coordinates, labels: boxLabels),
                                  keypoints: keypoints), pending)
        } catch {
            throw AnnotationError(.malformedFile, path: path, record: "image id \(image.id)", message: "\(error)")
        }
    }

    /// `segmentation` checked (so rasterising it later cannot fail), with compressed counts decoded.
    private func checked(_ segmentation: COCOFile.Segmentation, width: Int, height: Int, path: String,
                         record: String) throws(AnnotationError) -> COCOMasks.Shape {
        switch segmentation {
        case .polygons(let polygons):
            for polygon in polygons where polygon.count < 6 || polygon.count % 2 != 0 || !polygon.allSatisfy(\.isFinite) {
                throw AnnotationError(.badSegmentation, path: path, record: record,
                                      message: "a polygon needs at least 3 finite (x, y) points, got \(polygon.count) numbers")
            }
            return .polygons(polygons)
        case .runLengths(let counts, let h, let w):
            return try checked(counts, h, w, width: width, height: height, path: path, record: record)
        case .compressedRunLengths(let text, let h, let w):
            guard let counts = RunLengthMask.counts(fromCompressed: text) else {
                throw AnnotationError(.badSegmentation, path: path, record: record, message: "RLE counts string is not valid")
            }
            return try checked(counts, h, w, width: width, height: height, path: path, record: record)
        }
    }

    private func checked(_ counts: [Int], _ h: Int, _ w: Int, width: Int, height: Int, path: String,
                         record: String) throws(AnnotationError) -> COCOMasks.Shape {
        guard h == height, w == width else {
            throw AnnotationError(.maskSizeMismatch, path: path, record: record,
                                  message: "RLE size \(w)x\(h) differs from the image's \(width)x\(height)")
        }
        guard RunLengthMask.covers(counts, width: width, height: height) else {
            throw AnnotationError(.badSegmentation, path: path, record: record,
                                  message: "RLE counts do not cover \(width)x\(height) pixels")
        }
        return .runLengths(counts)
    }
}
