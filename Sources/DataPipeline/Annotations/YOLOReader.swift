import Augmentation
import Foundation

/// Reads a YOLO data set: `images/x.jpg` with `labels/x.txt`, one object per line as
/// `class cx cy w h`, normalised to 0...1. An image without a label file has no
/// objects (YOLO's background images). Boxes stay YOLO's normalised `cxcywh`.
///
/// A bad line (not five numbers, class outside `classNames`, box reaching outside
/// 0...1) marks its image with an ``AnnotationError`` naming the label file and line.
///
/// ```swift
/// let set = try YOLOReader(classNames: ["cat", "dog"]).read(images: "train/images", labels: "train/labels")
/// ```
public struct YOLOReader: Sendable {
    /// Class names by index (YOLO's `names:`).
    public var classNames: [String]

    public init(classNames: [String]) {
        self.classNames = classNames
    }

    /// - Throws: ``AnnotationError`` `.malformedFile` when a folder cannot be listed.
    public func read(images: String, labels: String) throws(AnnotationError) -> AnnotationSet {
        let entries = try ImageStems.list(images)
        let annotated = entries.map { stem, name in
            let path = labels + "/" + stem + ".txt"
            return AnnotatedImage(imagePath: images + "/" + name, targets: Result { () throws(AnnotationError) in
                try targets(path)
            })
        }
        return AnnotationSet(images: annotated, classNames: classNames)
    }

    private func targets(_ path: String) throws(AnnotationError) -> SampleTargets {
        guard let data = FileManager.default.contents(atPath: path) else {
            return SampleTargets(boxes: try? BoundingBoxes(format: .cxcywh, normalized: true, coordinates: [], labels: []))
        }
        var coordinates = [Double](), labels = [Int]()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard !fields.isEmpty else { continue }
            let record = "line \(number + 1)"
            guard fields.count == 5, let label = Int(fields[0]), case let values = fields.dropFirst().compactMap({ Double($0) }),
                  values.count == 4 else {
                throw AnnotationError(.malformedFile, path: path, record: record,
                                      message: "expected 'class cx cy w h', got '\(line)'")
            }
            guard classNames.indices.contains(label) else {
                throw AnnotationError(.unknownCategory, path: path, record: record,
                                      message: "class \(label) is outside the \(classNames.count) class names")
            }
            let (cx, cy, w, h) = (values[0], values[1], values[2], values[3])
            let tolerance = 1e-6
            guard w > 0, h > 0, cx - w / 2 >= -tolerance, cy - h / 2 >= -tolerance,
                  cx + w / 2 <= 1 + tolerance, cy + h / 2 <= 1 + tolerance else {
                throw AnnotationError(.boxOutsideImage, path: path, record: record,
                                      message: "box (\(cx), \(cy), \(w), \(h)) reaches outside the normalised image 0...1")
            }
            coordinates.append(contentsOf: values)
            labels.append(label)
        }
        do {
            return SampleTargets(boxes: try BoundingBoxes(format: .cxcywh, normalized: true, coordinates: coordinates, labels: labels))
        } catch {
            throw AnnotationError(.malformedFile, path: path, message: "\(error)")
        }
    }
}
