import Augmentation
import Foundation
import Imaging

/// Image/mask folder pairs for segmentation: `images/x.jpg` ↔ `masks/x.png` (same name
/// without extension). Masks are one-channel 8- or 16-bit files of class indices,
/// decoded when a sample needs them (``targets(at:)``), so listing stays cheap.
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
        let imagePath = imagePaths[index]
        guard let maskPath = maskPaths[index] else {
            throw AnnotationError(.missingImage, path: imagePath, message: "no mask with the same name in the masks folder")
        }
        do {
            let image = try ImageInfo.probe(contentsOf: imagePath).orientedSize
            let info = try ImageInfo.probe(contentsOf: maskPath)
            guard info.channels == 1 else {
                throw AnnotationError(.malformedFile, path: maskPath,
                                      message: "a mask needs one channel of class indices, this file decodes to \(info.channels)")
            }
            let mask: SegmentationMask
            if info.bitDepth == 16 {
                let decoded = try Image16.decode(contentsOf: maskPath, options: DecodeOptions(applyEXIFOrientation: false))
                mask = try SegmentationMask(classMap: decoded.pixels, width: decoded.width, height: decoded.height)
            } else {
                let decoded = try Image.decode(contentsOf: maskPath, options: DecodeOptions(applyEXIFOrientation: false))
                mask = try SegmentationMask(classMap: decoded.pixels.map(UInt16.init), width: decoded.width, height: decoded.height)
            }
            guard mask.width == image.width, mask.height == image.height else {
                throw AnnotationError(.maskSizeMismatch, path: maskPath,
                                      message: "mask is \(mask.width)x\(mask.height), its image \(imagePath) is \(image.width)x\(image.height)")
            }
            return SampleTargets(mask: mask)
        } catch let error as AnnotationError {
            throw error
        } catch {
            throw AnnotationError(.malformedFile, path: maskPath, message: "\(error)")
        }
    }
}
