import Augmentation
import Foundation
import Imaging

/// Image/mask folder pairs for segmentation: `images/x.jpg` ↔ `masks/x.png` (same name
/// without extension). Masks are one-channel 8- or 16-bit files of class indices (or palette
/// PNGs, whose indices are the classes, as Pascal VOC's), decoded when a sample needs them
/// (``targets(at:)``; a renderer decodes only the part its transform reads), so listing stays cheap.
///
/// ```swift
/// let pairs = try MaskFolderPairs(images: "train/images", masks: "train/masks")
/// let mask = try pairs.targets(at: 0).mask
/// ```
public struct MaskFolderPairs: Sendable {
    /// Image paths, sorted by name.
    public let imagePaths: [String]
    /// The mask of each image, `nil` when the masks folder has none.
    public let maskPaths: [String?]

    /// - Throws: ``AnnotationError`` `.malformedFile` when a folder cannot be listed.
    public init(images: String, masks: String) throws(AnnotationError) {
        let imageEntries = try ImageStems.list(images)
        var maskByStem = [String: String]()
        for (stem, name) in try ImageStems.list(masks) where maskByStem[stem] == nil { maskByStem[stem] = masks + "/" + name }
        imagePaths = imageEntries.map { images + "/" + $0.name }
        maskPaths = imageEntries.map { maskByStem[$0.stem] }
    }

    /// The class-map mask of sample `index`, checked against its image's size.
    /// - Throws: ``AnnotationError`` `.missingImage` (no mask file), `.malformedFile` (the
    ///   mask does not decode or has colour channels), `.maskSizeMismatch`.
    public func targets(at index: Int) throws(AnnotationError) -> SampleTargets {
        let maskPath = try maskPath(at: index)
        let image: (width: Int, height: Int)
        do {
            image = try ImageInfo.probe(contentsOf: imagePaths[index]).orientedSize
        } catch {
            throw AnnotationError(.malformedFile, path: maskPath, message: "\(error)")
        }
        return SampleTargets(mask: try MaskFile.read(maskPath, imagePath: imagePaths[index], imageSize: image))
    }

    /// The mask file of sample `index`.
    /// - Throws: ``AnnotationError`` `.missingImage` when the masks folder has none.
    public func maskPath(at index: Int) throws(AnnotationError) -> String {
        guard let maskPath = maskPaths[index] else {
            throw AnnotationError(.missingImage, path: imagePaths[index], message: "no mask with the same name in the masks folder")
        }
        return maskPath
    }
}
