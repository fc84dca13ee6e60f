import Augmentation
import DataPipeline

/// The annotated sources of a detection, segmentation or keypoint pipeline: the reader
/// `data.annotations` names over the images of `data.directory`, split per Keras's rules.
enum AnnotatedData {
    /// - Throws: `AnnotationError` when the annotation file or folder cannot be read.
    static func sources(_ spec: AnnotationsSpec, task: DataTask, images: String, classes: [String]?, split: Double,
                        ignoreIndex: UInt16) throws -> (training: AnnotatedImageSource, validation: AnnotatedImageSource?) {
        let fraction = try ValidationSplit(split)
        func make(_ subset: Subset?) throws -> AnnotatedImageSource {
            switch spec.format {
            case .masks:
                return AnnotatedImageSource(try MaskFolderPairs(images: images, masks: spec.path), classNames: classes ?? [],
                                            split: fraction, subset: subset)
            case .coco:
                let masks: COCOReader.MaskKind = task == .segmentation ? .semantic : task == .instanceSegmentation ? .instances : .none
                let reader = COCOReader(masks: masks, ignoreIndex: ignoreIndex)
                return AnnotatedImageSource(try reader.read(spec.path, imageDirectory: images), format: .coco,
                                            split: fraction, subset: subset)
            case .voc:
                return AnnotatedImageSource(try VOCReader(classNames: classes).read(spec.path, imageDirectory: images),
                                            format: .voc, split: fraction, subset: subset)
            case .yolo:
                return AnnotatedImageSource(try YOLOReader(classNames: classes ?? []).read(images: images, labels: spec.path),
                                            format: .yolo, split: fraction, subset: subset)
            }
        }
        return (try make(split > 0 ? .training : nil), split > 0 ? try make(.validation) : nil)
    }
}
