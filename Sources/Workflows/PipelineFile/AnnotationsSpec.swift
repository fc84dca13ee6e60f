import Augmentation
import DataPipeline

/// `data.annotations`: where the targets of a detection, segmentation or keypoint task come
/// from, beside the images of `data.directory`. Exactly one key:
///
/// ```yaml
/// data:
///   directory: images          # the images
///   task: detection
///   annotations: {coco: instances.json}   # or voc: xml-folder, yolo: label-folder, masks: mask-folder
/// ```
///
/// YOLO label files name classes by index: `data.classes` lists their names.
public struct AnnotationsSpec: Codable, Sendable, Equatable {
    public var format: AnnotationFormat
    /// The COCO file, or the folder of VOC XML files, YOLO label files or masks.
    public var path: String

    public init(format: AnnotationFormat, path: String) {
        self.format = format
        self.path = path
    }

    public init(from decoder: Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyCodingKey.self)
        let accepted = AnnotationFormat.allCases.map(\.rawValue)
        for key in keys.allKeys where !accepted.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [key],
                debugDescription: "unknown key '\(key.stringValue)' (expected one of: \(accepted.joined(separator: ", ")))"))
        }
        guard keys.allKeys.count == 1, let key = keys.allKeys.first, let format = AnnotationFormat(rawValue: key.stringValue) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "give exactly one of: \(accepted.joined(separator: ", "))"))
        }
        self.format = format
        path = try keys.decode(String.self, forKey: key)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encode(path, forKey: AnyCodingKey(stringValue: format.rawValue))
    }
}

/// `data.task`: what the targets are. `classification` (the default) learns a label per
/// image; the other tasks need `data.annotations`.
public enum DataTask: String, Codable, Sendable, Equatable, CaseIterable {
    case classification, detection, segmentation, keypoints
    /// COCO instance masks (one plane per object, beside its box), batched as `[N, M, H, W]`.
    case instanceSegmentation = "instance_segmentation"

    /// The annotation formats that hold this task's targets.
    var formats: [AnnotationFormat] {
        switch self {
        case .classification: []
        case .detection: [.coco, .voc, .yolo]
        case .segmentation: [.coco, .masks]
        case .keypoints, .instanceSegmentation: [.coco]
        }
    }
}
