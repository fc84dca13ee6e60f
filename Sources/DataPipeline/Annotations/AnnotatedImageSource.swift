import Augmentation
import Foundation

/// Image files with masks, boxes or keypoints beside them: what a `DataLoader` batches for
/// detection, segmentation and keypoint tasks. The image pipeline is an `ImageFileRenderer`
/// as for classification; it asks ``annotations(of:)`` for the sample's targets and moves
/// them with the transform it draws.
public protocol AnnotatedSource: ImageFileSource {
    /// Sample `index`'s targets in the source's own convention, on its upright image.
    /// - Throws: ``AnnotationError`` for a bad record: the loader's `BadFilePolicy` decides.
    func annotations(of index: Int) throws -> SampleTargets
    /// Sample `index`'s targets with a mask kept in a file left there: `maskFile` names it and
    /// `targets` holds the rest, so a renderer decodes only the part of the mask its drawn
    /// transform reads. The default is ``annotations(of:)`` and no file.
    /// - Throws: ``AnnotationError`` for a bad record (a missing mask file among them).
    func annotationsLeavingMaskInFile(of index: Int) throws -> (targets: SampleTargets, maskFile: String?)
    /// Class names by label index.
    var classNames: [String] { get }
    /// Which file format the targets came from (how previews save them).
    var format: AnnotationFormat { get }
}

extension AnnotatedSource {
    public func annotationsLeavingMaskInFile(of index: Int) throws -> (targets: SampleTargets, maskFile: String?) {
        (try annotations(of: index), nil)
    }
}

/// The four annotation sources Augment reads.
public enum AnnotationFormat: String, Sendable, Equatable, CaseIterable, Codable {
    /// A COCO JSON file: `xywh` pixel boxes, polygon or RLE masks, keypoints.
    case coco
    /// A folder of Pascal VOC XML files: `xyxy` pixel boxes.
    case voc
    /// A folder of YOLO `.txt` label files: normalised `cxcywh` boxes.
    case yolo
    /// A folder of class-index mask images named as the images.
    case masks
}

/// An ``AnnotatedSource`` over an ``AnnotationSet`` (COCO, VOC, YOLO) or ``MaskFolderPairs``;
/// with a validation split, Keras's split arithmetic over the sorted list.
///
/// ```swift
/// let set = try COCOReader().read("instances.json", imageDirectory: "images")
/// let source = AnnotatedImageSource(set, format: .coco)
/// let renderer = try ImageFileRenderer(source: source, recipe: recipe)
/// ```
public struct AnnotatedImageSource: AnnotatedSource {
    private enum Storage: Sendable {
        case set([AnnotatedImage])
        case masks(MaskFolderPairs, offset: Int)
    }

    private let paths: [String]
    private let storage: Storage
    public let classNames: [String]
    public let format: AnnotationFormat

    public var count: Int { paths.count }
    public var classMode: ClassMode { .none }
    public var targets: TargetTable { TargetTable(rowShape: [0], values: []) }
    public var sampleWeights: [Float]? { nil }

    /// The images of `set` (read as `format`), or the `subset` of them a `split` keeps.
    public init(_ set: AnnotationSet, format: AnnotationFormat, split: ValidationSplit? = nil, subset: Subset? = nil) {
        let range = (split ?? ValidationSplit.none).range(of: subset, count: set.images.count)
        let images = set.images[range]
        paths = images.map(\.imagePath)
        storage = .set(Array(images))
        classNames = set.classNames
        self.format = format
    }

    /// Image/mask folder pairs, or the `subset` of them a `split` keeps; `classNames`
    /// names the mask values (may be empty).
    public init(_ pairs: MaskFolderPairs, classNames: [String] = [], split: ValidationSplit? = nil, subset: Subset? = nil) {
        let range = (split ?? ValidationSplit.none).range(of: subset, count: pairs.imagePaths.count)
        paths = Array(pairs.imagePaths[range])
        storage = .masks(pairs, offset: range.lowerBound)
        self.classNames = classNames
        format = .masks
    }

    public func path(of index: Int) -> String { paths[index] }

    public func annotations(of index: Int) throws -> SampleTargets {
        switch storage {
        case .set(let images): try images[index].targets.get()
        case .masks(let pairs, let offset): try pairs.targets(at: index + offset)
        }
    }

    public func annotationsLeavingMaskInFile(of index: Int) throws -> (targets: SampleTargets, maskFile: String?) {
        switch storage {
        case .set(let images): (try images[index].targets.get(), nil)
        case .masks(let pairs, let offset): (SampleTargets(), try pairs.maskPath(at: index + offset))
        }
    }
}

extension ValidationSplit {
    /// No split: every item.
    static let none = try! ValidationSplit(0)
}
