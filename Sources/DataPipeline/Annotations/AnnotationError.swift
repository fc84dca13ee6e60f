import Augmentation

/// A malformed annotation file or record: which file, which record, and why.
///
/// Readers keep going past a bad record: the image it belongs to carries the error
/// (``AnnotatedImage/targets``), so the loader's `BadFilePolicy` decides per sample
/// whether it stops the run or is skipped, as for an undecodable image.
public struct AnnotationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The file is not valid JSON / XML / label text, or lacks a required field.
        case malformedFile
        /// A box reaches outside its image or has no area.
        case boxOutsideImage
        /// A record names a category that the file does not define.
        case unknownCategory
        /// A polygon with fewer than 3 points, or an RLE whose counts do not fill its size.
        case badSegmentation
        /// A mask whose size differs from its image's.
        case maskSizeMismatch
        /// A record refers to an image that is not listed or not on disk.
        case missingImage
    }

    public var kind: Kind
    /// The annotation file (or mask file) involved.
    public var path: String
    /// The record within it: `annotation id 7`, `object 2`, `line 3`; empty for the whole file.
    public var record: String
    public var message: String

    public init(_ kind: Kind, path: String, record: String = "", message: String) {
        self.kind = kind
        self.path = path
        self.record = record
        self.message = message
    }

    public var description: String {
        "\(path): " + (record.isEmpty ? "" : "\(record): ") + "\(kind.rawValue): \(message)"
    }
}

/// One image of an annotated data set and its targets, or the error of its first bad record.
public struct AnnotatedImage: Sendable {
    /// The image file, as the annotation names it resolved against the image folder.
    public var imagePath: String
    /// The targets in the source's own convention (COCO `xywh` pixels, YOLO normalised
    /// `cxcywh`, VOC `xyxy` pixels), labels as contiguous class indices
    /// (``AnnotationSet/classNames``). A COCO mask is rasterised from its polygons or run
    /// lengths each time this is read (it is not held: see ``COCOReader``).
    public var targets: Result<SampleTargets, AnnotationError> {
        get {
            guard let pendingMask else { return stored }
            return stored.map { targets in
                var targets = targets
                targets.mask = pendingMask.mask()
                return targets
            }
        }
        set {
            stored = newValue
            pendingMask = nil
        }
    }

    private var stored: Result<SampleTargets, AnnotationError>
    /// The COCO segmentations that make `targets.mask` when it is read.
    private var pendingMask: COCOMasks?

    public init(imagePath: String, targets: Result<SampleTargets, AnnotationError>) {
        self.init(imagePath: imagePath, targets: targets, pendingMask: nil)
    }

    init(imagePath: String, targets: Result<SampleTargets, AnnotationError>, pendingMask: COCOMasks?) {
        self.imagePath = imagePath
        stored = targets
        self.pendingMask = pendingMask
    }
}

/// The images and class names of one annotated data set, in a fixed order (sorted by
/// file name, or COCO's image order).
public struct AnnotationSet: Sendable {
    public var images: [AnnotatedImage]
    /// Class names by label index.
    public var classNames: [String]

    public init(images: [AnnotatedImage], classNames: [String]) {
        self.images = images
        self.classNames = classNames
    }
}
