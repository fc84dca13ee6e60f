import Augmentation
import DataPipeline
import Foundation
import Imaging

/// `augment preview --save-annotations`: each variant's moved targets beside its image, in
/// the format its source was read from, so other tools can check or reuse them.
///
/// - COCO: one `annotations.json` for every variant (`bbox` in `xywh` pixels, `area`, keypoints
///   as `(x, y, v)` with `v` 2 visible, 0 not; categories numbered `label + 1` with their names);
///   instance masks as each object's `segmentation` in compressed RLE (`{"size": [h, w],
///   "counts": ...}`, pycocotools' encoding), a class map beside its image as
///   `<variant>_mask.png` (class indices, `label + 1`).
/// - VOC: `<variant>.xml` with `xyxy` pixel boxes.
/// - YOLO: `<variant>.txt` with `class cx cy w h`, normalised.
/// - masks: `<variant>_mask.png`, 8-bit class indices.
struct AnnotationWriter {
    let format: AnnotationFormat
    let classNames: [String]
    let directory: String
    private var images: [[String: Any]] = []
    private var annotations: [[String: Any]] = []

    init(format: AnnotationFormat, classNames: [String], directory: String) {
        self.format = format
        self.classNames = classNames
        self.directory = directory
    }

    /// Writes (or, for COCO, records) the targets of the variant `imageFile`; returns the files written.
    /// - Throws: ``WorkflowError`` for a mask value above 255, `ImageError` when a file cannot be written.
    mutating func add(_ targets: SampleTargets, imageFile: String, width: Int, height: Int) throws -> [String] {
        let stem = (imageFile as NSString).deletingPathExtension
        var written = [String]()
        let instances = targets.mask.flatMap { $0.layout == .instances ? $0 : nil }
        if let mask = targets.mask, format == .masks || (format == .coco && instances == nil) {
            written.append(try Self.writeMask(mask, to: stem + "_mask.png"))
        }
        let boxes = targets.boxes.map { $0.converted(to: format == .yolo ? .cxcywh : format == .voc ? .xyxy : .xywh,
                                                     normalized: format == .yolo, width: width, height: height) }
        switch format {
        case .coco:
            let id = images.count + 1
            images.append(["id": id, "file_name": (imageFile as NSString).lastPathComponent, "width": width, "height": height])
            let count = boxes?.count ?? 0
            if let instances, instances.planeCount != count {
                throw WorkflowError("\(imageFile): \(instances.planeCount) instance masks for \(count) boxes; COCO keeps one of each per object")
            }
            for index in 0..<count {
                let box = Array(boxes!.coordinates[(4 * index)..<(4 * index + 4)])
                var record: [String: Any] = ["id": annotations.count + 1, "image_id": id, "category_id": boxes!.labels[index] + 1,
                                             "bbox": box, "area": box[2] * box[3], "iscrowd": 0]
                if let instances {
                    let plane = instances.plane(index)
                    record["segmentation"] = ["size": [height, width],
                                              "counts": RunLengthMask.compressed(plane: plane, width: width, height: height)]
                    record["area"] = plane.count { $0 != 0 }
                }
                if targets.keypoints.count == count {
                    record["keypoints"] = targets.keypoints[index].points.flatMap { [$0.x, $0.y, $0.visible ? 2 : 0] }
                }
                annotations.append(record)
            }
        case .voc:
            let objects = (0..<(boxes?.count ?? 0)).map { index in
                let c = boxes!.coordinates[(4 * index)..<(4 * index + 4)].map { String(format: "%.2f", $0) }
                return "  <object><name>\(Self.escaped(name(boxes!.labels[index])))</name><bndbox><xmin>\(c[0])</xmin><ymin>\(c[1])</ymin>"
                    + "<xmax>\(c[2])</xmax><ymax>\(c[3])</ymax></bndbox></object>\n"
            }
            let xml = "<annotation>\n  <filename>\(Self.escaped((imageFile as NSString).lastPathComponent))</filename>\n"
                + "  <size><width>\(width)</width><height>\(height)</height><depth>3</depth></size>\n"
                + objects.joined() + "</annotation>\n"
            written.append(try Self.write(xml, to: stem + ".xml"))
        case .yolo:
            let lines = (0..<(boxes?.count ?? 0)).map { index in
                "\(boxes!.labels[index]) " + boxes!.coordinates[(4 * index)..<(4 * index + 4)].map { String(format: "%.6f", $0) }
                    .joined(separator: " ") + "\n"
            }
            written.append(try Self.write(lines.joined(), to: stem + ".txt"))
        case .masks:
            break
        }
        return written
    }

    /// Writes `annotations.json` for COCO; nothing for the other formats.
    func finish() throws -> [String] {
        guard format == .coco else { return [] }
        let categories = classNames.enumerated().map { ["id": $0.offset + 1, "name": $0.element] as [String: Any] }
        let file: [String: Any] = ["images": images, "annotations": annotations, "categories": categories]
        let data = try JSONSerialization.data(withJSONObject: file, options: [.prettyPrinted, .sortedKeys])
        return [try Self.write(String(decoding: data, as: UTF8.self), to: directory + "/annotations.json")]
    }

    private func name(_ label: Int) -> String { classNames.indices.contains(label) ? classNames[label] : "\(label)" }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func write(_ text: String, to path: String) throws -> String {
        try FileBytes.write(Array(text.utf8), to: path)
        return path
    }

    private static func writeMask(_ mask: SegmentationMask, to path: String) throws -> String {
        guard mask.layout == .classMap else {
            throw WorkflowError("\(path): instance masks have no single-file form; they are saved in COCO's annotations.json")
        }
        guard mask.values.allSatisfy({ $0 <= 255 }) else {
            throw WorkflowError("\(path): mask values up to \(mask.values.max() ?? 0) do not fit an 8-bit PNG")
        }
        try Image(width: mask.width, height: mask.height, channels: 1, pixels: mask.values.map { UInt8($0) }).write(to: path, as: .png())
        return path
    }
}
