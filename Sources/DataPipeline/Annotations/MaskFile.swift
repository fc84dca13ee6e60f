import Augmentation
import Imaging

/// A class-map mask read from its file (one channel of class indices: 8- or 16-bit gray, or a
/// palette image's indices), whole or only inside a window (`SampleWindow`): the one reader of
/// ``MaskFolderPairs`` and of the renderer, which decodes only what its drawn transform reads.
enum MaskFile {
    /// The mask at `maskPath` of the upright image at `imagePath`, of `imageSize`, holding
    /// `window` (`nil`: all of it).
    /// - Throws: ``AnnotationError`` `.malformedFile` (the mask does not decode or has more than one
    ///   channel) or `.maskSizeMismatch`, naming the mask file.
    static func read(_ maskPath: String, imagePath: String, imageSize: (width: Int, height: Int),
                     window: SegmentationMask.Window? = nil) throws(AnnotationError) -> SegmentationMask {
        let part: SampleWindow
        do {
            part = try SampleWindow.decode(contentsOf: maskPath, window: window.map { ($0.x, $0.y, $0.width, $0.height) })
        } catch {
            throw AnnotationError(.malformedFile, path: maskPath, message: "\(error)")
        }
        guard part.channels == 1 else {
            throw AnnotationError(.malformedFile, path: maskPath,
                                  message: "a mask needs one channel of class indices, this file decodes to \(part.channels)")
        }
        guard part.width == imageSize.width, part.height == imageSize.height else {
            throw AnnotationError(.maskSizeMismatch, path: maskPath,
                                  message: "mask is \(part.width)x\(part.height), its image \(imagePath) is \(imageSize.width)x\(imageSize.height)")
        }
        do {
            return try SegmentationMask(classMap: part.samples, width: part.width, height: part.height,
                                        window: .init(x: part.x, y: part.y, width: part.windowWidth, height: part.windowHeight))
        } catch {
            throw AnnotationError(.malformedFile, path: maskPath, message: "\(error)")
        }
    }

    /// The mask at `maskPath` as `warp` needs it: already moved (nearest, `fill` outside) when the
    /// warp keeps the axes and the file is a plain mask PNG, sampled straight from its decoded rows
    /// (`SampleWindow.grid`); otherwise held inside the warp's window, for the warp to move. With a
    /// `crop` (`TransformTargets.targetCrop(of:)`), `warp` starts from that rectangle, which the
    /// targets are cut to first: the mask is held inside the warp's window placed in the crop.
    /// - Throws: as ``read(_:imagePath:imageSize:window:)``.
    static func read(_ maskPath: String, imagePath: String, imageSize: (width: Int, height: Int),
                     for warp: TargetWarp, crop: (x: Int, y: Int, width: Int, height: Int)? = nil,
                     fill: UInt16) throws(AnnotationError) -> Prepared {
        if let crop {
            var window = SegmentationMask.readWindow(of: warp)
            (window.x, window.y) = (window.x + crop.x, window.y + crop.y)
            return .held(try read(maskPath, imagePath: imagePath, imageSize: imageSize, window: window))
        }
        if let grid = SegmentationMask.nearestGrid(of: warp) {
            let bytes: [UInt8]
            do { bytes = try FileBytes.read(maskPath) } catch { throw AnnotationError(.malformedFile, path: maskPath, message: "\(error)") }
            if let sampled = SampleWindow.grid(bytes, columns: grid.columns, rows: grid.rows, fill: fill) {
                guard sampled.width == imageSize.width, sampled.height == imageSize.height else {
                    throw AnnotationError(.maskSizeMismatch, path: maskPath,
                                          message: "mask is \(sampled.width)x\(sampled.height), its image \(imagePath) is \(imageSize.width)x\(imageSize.height)")
                }
                do {
                    return .moved(try SegmentationMask(classMap: sampled.samples, width: warp.outputWidth, height: warp.outputHeight))
                } catch {
                    throw AnnotationError(.malformedFile, path: maskPath, message: "\(error)")
                }
            }
        }
        return .held(try read(maskPath, imagePath: imagePath, imageSize: imageSize, window: SegmentationMask.readWindow(of: warp)))
    }

    /// A mask read for one warp.
    enum Prepared {
        /// Already moved by the warp.
        case moved(SegmentationMask)
        /// The part the warp reads, still to be moved.
        case held(SegmentationMask)
    }
}
