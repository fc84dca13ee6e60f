import Augmentation
import DataPipeline
import Foundation
import Imaging
import Testing
import Training
import TestSupport
@testable import Workflows

/// `augment preview` of annotated data: tiles show the moved targets, and
/// `saveAnnotations` writes them in the source's format, where they agree with the pixels.
@Suite struct TargetsPreviewTests {
    /// Two 60 × 40 images, each a red rectangle that is its one object (category 7, "brick").
    private func cocoSet(_ folder: TemporaryDirectory) throws {
        try FileManager.default.createDirectory(atPath: folder.path("images"), withIntermediateDirectories: true)
        let rectangles = [(12, 8, 30, 20), (20, 14, 24, 18)]
        var images = [String](), annotations = [String]()
        for (i, (x, y, w, h)) in rectangles.enumerated() {
            var pixels = [UInt8](repeating: 0, count: 60 * 40 * 3)
            for row in y..<(y + h) { for column in x..<(x + w) { pixels[(row * 60 + column) * 3] = 255 } }
            try Image(width: 60, height: 40, channels: 3, pixels: pixels).write(to: folder.path("images/i\(i).png"), as: .png())
            images.append("{\"id\": \(i), \"file_name\": \"i\(i).png\", \"width\": 60, \"height\": 40}")
            annotations.append("{\"id\": \(i + 1), \"image_id\": \(i), \"category_id\": 7, \"bbox\": [\(x), \(y), \(w), \(h)], "
                               + "\"segmentation\": [[\(x), \(y), \(x + w), \(y), \(x + w), \(y + h), \(x), \(y + h)]]}")
        }
        try folder.write("coco.json", "{\"images\": [\(images.joined(separator: ","))], \"annotations\": [\(annotations.joined(separator: ","))], "
                         + "\"categories\": [{\"id\": 7, \"name\": \"brick\"}]}")
    }

    private func pipeline(_ folder: TemporaryDirectory, task: String = "segmentation") throws -> PipelineFile {
        try folder.write("p.yaml", """
            data:
              directory: images
              target_size: [32, 48]
              task: \(task)
              annotations: {coco: coco.json}
            augmentation:
              ops:
                - random_resized_crop: {size: [32, 48], scale: [0.7, 1], ratio: [1.2, 1.8]}
                - horizontal_flip
                - color_jitter: {brightness: 0.3}
            """)
        return try PipelineFileLoader.load(path: folder.path("p.yaml"))
    }

    @Test func cocoPreviewDrawsTargetsAndSavesThemInCOCOWithMasks() throws {
        let folder = try TemporaryDirectory()
        try cocoSet(folder)
        let file = try pipeline(folder)
        let out = folder.path("preview")
        let inputs = try PreviewInputs.resolve([], pipeline: file)
        #expect(inputs.count == 2)
        let report = try Preview(pipeline: file, options: PreviewOptions(count: 3, outputDirectory: out, saveAnnotations: true))
            .run(inputs: inputs)
        #expect(report.variantFiles.count == 6)
        #expect(report.annotationFiles.filter { $0.hasSuffix("_mask.png") }.count == 6)
        #expect(report.annotationFiles.last == out + "/annotations.json")

        let saved = try COCOReader(masks: .none).read(out + "/annotations.json", imageDirectory: out)
        #expect(saved.classNames == ["brick"] && saved.images.count == 6)
        for image in saved.images {
            let variant = try Image.decode(contentsOf: image.imagePath)
            let box = try #require(try image.targets.get().boxes)
            let c = box.pixelCorners(0, width: variant.width, height: variant.height)
            var red = (x0: Int.max, y0: Int.max, x1: Int.min, y1: Int.min)
            let mask = try Image.decode(contentsOf: (image.imagePath as NSString).deletingPathExtension + "_mask.png")
            var agree = 0
            // Half the brightest red: colour jitter scales the rectangle's 255.
            let threshold = stride(from: 0, to: variant.pixels.count, by: 3).map { variant.pixels[$0] }.max()! / 2
            for y in 0..<variant.height {
                for x in 0..<variant.width {
                    let isRed = variant.pixels[(y * variant.width + x) * 3] > threshold
                    if isRed { red = (min(red.x0, x), min(red.y0, y), max(red.x1, x + 1), max(red.y1, y + 1)) }
                    if isRed == (mask.pixels[y * variant.width + x] == 1) { agree += 1 }
                }
            }
            #expect(abs(c.x0 - Double(red.x0)) <= 1 && abs(c.x1 - Double(red.x1)) <= 1
                    && abs(c.y0 - Double(red.y0)) <= 1 && abs(c.y1 - Double(red.y1)) <= 1, "\(c) vs \(red)")
            #expect(Double(agree) >= 0.99 * Double(variant.width * variant.height))
        }
        // The sheet shows the overlays: the brick's translucent class colour over black pixels.
        let sheet = try Image.decode(contentsOf: report.contactSheet)
        let tinted = stride(from: 0, to: sheet.pixels.count, by: 3).contains { i in
            sheet.pixels[i] > 150 && sheet.pixels[i + 1] > 20 && sheet.pixels[i + 1] < 60 && sheet.pixels[i + 2] > 30
        }
        #expect(tinted)
    }

    /// `task: instance_segmentation` reads COCO's instance masks; the preview saves each object's
    /// moved mask as its RLE segmentation, which matches the red rectangle it covers.
    @Test func instanceSegmentationPreviewSavesEachObjectsMaskAsRunLengths() throws {
        let folder = try TemporaryDirectory()
        try cocoSet(folder)
        let file = try pipeline(folder, task: "instance_segmentation")
        let out = folder.path("preview")
        let report = try Preview(pipeline: file, options: PreviewOptions(count: 2, outputDirectory: out, saveAnnotations: true))
            .run(inputs: try PreviewInputs.resolve([], pipeline: file))
        #expect(report.annotationFiles == [out + "/annotations.json"])
        let saved = try COCOReader(masks: .instances).read(out + "/annotations.json", imageDirectory: out)
        #expect(saved.images.count == 4)
        for image in saved.images {
            let targets = try image.targets.get()
            let mask = try #require(targets.mask)
            #expect(mask.layout == .instances && mask.planeCount == targets.boxes?.count)
            let variant = try Image.decode(contentsOf: image.imagePath)
            let threshold = stride(from: 0, to: variant.pixels.count, by: 3).map { variant.pixels[$0] }.max()! / 2
            let agree = (0..<(variant.width * variant.height)).filter { (variant.pixels[$0 * 3] > threshold) == (mask.values[$0] == 1) }.count
            #expect(Double(agree) >= 0.99 * Double(variant.width * variant.height))
        }
    }

    @Test(arguments: [AnnotationFormat.voc, .yolo])
    func vocAndYOLOAnnotationsAreWrittenInTheirOwnFormat(_ format: AnnotationFormat) throws {
        let folder = try TemporaryDirectory()
        let targets = SampleTargets(boxes: try BoundingBoxes(format: .xyxy, coordinates: [4, 6, 20, 30, 10, 2, 40, 12], labels: [1, 0]))
        var writer = AnnotationWriter(format: format, classNames: ["cat", "dog"], directory: folder.path)
        let files = try writer.add(targets, imageFile: folder.path("v_0.png"), width: 48, height: 32)
        #expect(files.count == 1)
        // YOLO pairs label files with images: the variant image is there, as in a preview.
        try Image(width: 48, height: 32, channels: 1).write(to: folder.path("v_0.png"), as: .png())
        let reread = format == .voc ? try VOCReader(classNames: ["cat", "dog"]).read(folder.path, imageDirectory: folder.path)
            : try YOLOReader(classNames: ["cat", "dog"]).read(images: folder.path, labels: folder.path)
        let boxes = try #require(try reread.images.first?.targets.get().boxes)
        let back = boxes.converted(to: .xyxy, normalized: false, width: 48, height: 32)
        #expect(back.labels == [1, 0])
        for (a, b) in zip(back.coordinates, targets.boxes!.coordinates) { #expect(abs(a - b) < 0.01) }
    }

    /// COCO instance masks are written as each object's compressed RLE, which the reader
    /// (and pycocotools: the encoding is checked against its strings in DataPipelineTests)
    /// reads back as the same planes.
    @Test func cocoInstanceMasksAreWrittenAsRunLengthsTheReaderReadsBack() throws {
        let folder = try TemporaryDirectory()
        let (width, height) = (12, 9)
        let planes: [[UInt8]] = (0..<2).map { k in (0..<(width * height)).map { i in UInt8((i % width) / 3 == 2 * k && (i / width) % 4 != 3 ? 1 : 0) } }
        let targets = SampleTargets(mask: try SegmentationMask(instances: planes, width: width, height: height),
                                    boxes: try BoundingBoxes(format: .xyxy, coordinates: [6, 0, 9, 7, 0, 0, 3, 7], labels: [1, 0]))
        var writer = AnnotationWriter(format: .coco, classNames: ["cat", "dog"], directory: folder.path)
        #expect(try writer.add(targets, imageFile: folder.path("v_0.png"), width: width, height: height).isEmpty)
        try Image(width: width, height: height, channels: 3).write(to: folder.path("v_0.png"), as: .png())
        let json = try #require(try writer.finish().first)
        let reread = try COCOReader(masks: .instances).read(json, imageDirectory: folder.path)
        let back = try #require(try reread.images.first?.targets.get())
        #expect(back.boxes?.labels == [1, 0])
        #expect(back.mask?.layout == .instances && back.mask?.values == targets.mask?.values)
        // Boxes and masks that do not pair up are refused, naming the variant.
        var mismatched = targets
        mismatched.boxes = try BoundingBoxes(format: .xyxy, coordinates: [6, 0, 9, 7], labels: [1])
        #expect { _ = try writer.add(mismatched, imageFile: folder.path("v_1.png"), width: width, height: height) }
            throws: { "\($0)".contains("v_1.png: 2 instance masks for 1 boxes") }
    }

    @Test func trainRefusesANonClassificationTask() throws {
        let folder = try TemporaryDirectory()
        try cocoSet(folder)
        var file = try pipeline(folder, task: "detection")
        file.model = try PipelineFileLoader.parse(yaml: "data: {directory: d}\nmodel:\n  layers: [flatten, {dense: {units: 2, activation: softmax}}]\ntraining: {epochs: 1}\n", file: "m.yaml").model
        file.training = try PipelineFileLoader.parse(yaml: "data: {directory: d}\nmodel:\n  layers: [flatten, {dense: {units: 2, activation: softmax}}]\ntraining: {epochs: 1}\n", file: "m.yaml").training
        let run = TrainingRun(pipeline: file, outputDirectory: folder.path("run"), output: ProgressOutput { _ in })
        #expect { try run.run() } throws: { "\($0)".contains("augment train builds classifiers only") }
    }
}
