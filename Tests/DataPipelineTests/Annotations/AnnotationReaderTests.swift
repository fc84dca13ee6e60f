import Augmentation
import Foundation
import Imaging
import Testing
import TestSupport
@testable import DataPipeline

/// COCO, VOC and YOLO readers and mask folder pairs on the committed files of
/// scripts/make_annotation_fixtures.py: good records become targets, each malformed
/// record marks its own image with an error naming the file and the record.
@Suite struct AnnotationReaderTests {
    static let folder = RepositoryFiles.fixture("DataPipelineTests", "annotations").path
    static let coco = folder + "/coco.json"

    private func failure(_ image: AnnotatedImage) -> AnnotationError? {
        if case .failure(let error) = image.targets { return error }
        return nil
    }

    @Test func cocoBoxesKeypointsAndCategories() throws {
        let set = try COCOReader().read(Self.coco, imageDirectory: "images")
        #expect(set.classNames == ["cat", "dog"])
        #expect(set.images.map(\.imagePath).first == "images/good.png")
        let targets = try set.images[0].targets.get()
        let boxes = try #require(targets.boxes)
        #expect(boxes.format == .xywh && !boxes.normalized)
        #expect(boxes.coordinates == [1, 1, 4, 3, 6, 2, 3, 3] && boxes.labels == [0, 1])   // crowd 13 left out
        #expect(targets.keypoints.map { $0.points.map(\.visible) } == [[true, true], [true, false]])
        #expect(targets.keypoints[1].points[0] == Keypoint(x: 7, y: 3))
        #expect(targets.mask == nil)
    }

    @Test func cocoSemanticMaskFromPolygonRLEAndCrowd() throws {
        let set = try COCOReader(masks: .semantic).read(Self.coco, imageDirectory: "images")
        let mask = try #require(try set.images[0].targets.get().mask)
        #expect(mask.layout == .classMap && mask.width == 10 && mask.height == 8)
        var expected = [UInt16](repeating: 0, count: 80)
        for y in 1...3 { for x in 1...4 { expected[y * 10 + x] = 1 } }       // polygon, cat
        for y in 2...4 { for x in 6...8 { expected[y * 10 + x] = 2 } }       // uncompressed RLE, dog
        for y in 6...7 { for x in 0...2 { expected[y * 10 + x] = 255 } }     // compressed RLE, crowd
        #expect(mask.values == expected)
    }

    @Test func cocoPolygonsRasteriseLikePycocotools() throws {
        let set = try COCOReader(masks: .instances).read(Self.folder + "/coco-polygons.json", imageDirectory: ".")
        let mask = try #require(try set.images[0].targets.get().mask)
        let url = URL(fileURLWithPath: Self.folder + "/coco-polygons-masks.json")
        let reference = try JSONDecoder().decode([[UInt16]].self, from: Data(contentsOf: url))
        #expect(mask.planeCount == 3 && mask.values == reference.flatMap { $0 })
    }

    /// The compressed RLE encoder gives pycocotools' strings, and its strings decode back.
    @Test func runLengthStringsAreThoseOfPycocotools() throws {
        struct Fixture: Decodable {
            struct Case: Decodable { var plane: [UInt8]; var counts: String }
            var width: Int, height: Int, cases: [Case]
        }
        let url = URL(fileURLWithPath: Self.folder + "/coco-rle-strings.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count == 5)
        for (index, item) in fixture.cases.enumerated() {
            let text = RunLengthMask.compressed(plane: item.plane, width: fixture.width, height: fixture.height)
            #expect(text == item.counts, "case \(index)")
            let counts = try #require(RunLengthMask.counts(fromCompressed: text))
            #expect(RunLengthMask.covers(counts, width: fixture.width, height: fixture.height))
            var plane = [UInt8](repeating: 0, count: fixture.width * fixture.height)
            plane.withUnsafeMutableBufferPointer { RunLengthMask.paint(counts: counts, value: 1, into: $0, width: fixture.width, height: fixture.height) }
            #expect(plane == item.plane, "case \(index)")
        }
    }

    /// Segmentations are checked when the file is read (they are rasterised later, per sample):
    /// a short polygon and an image too large for a mask are bad records of their own image,
    /// and the other images keep their masks.
    @Test func cocoSegmentationsAreCheckedWhenRead() throws {
        let folder = try TemporaryDirectory()
        let json = """
        {"images": [{"id": 1, "file_name": "a.png", "width": 4, "height": 3}, {"id": 2, "file_name": "b.png", "width": 4, "height": 3},
                    {"id": 3, "file_name": "c.png", "width": 3037000500, "height": 3037000500}],
         "categories": [{"id": 1, "name": "x"}],
         "annotations": [{"id": 5, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 3, 0]]},
                         {"id": 6, "image_id": 2, "category_id": 1, "segmentation": {"size": [3, 4], "counts": [4, 4, 4]}},
                         {"id": 7, "image_id": 2, "category_id": 1, "segmentation": [[-1e300, 5, 1e300, 5, 0, 1e300]]}]}
        """
        try FileBytes.write(Array(json.utf8), to: folder.path("c.json"))
        for kind in [COCOReader.MaskKind.semantic, .instances] {
            let set = try COCOReader(masks: kind).read(folder.path("c.json"), imageDirectory: ".")
            #expect(failure(set.images[0])?.kind == .badSegmentation && failure(set.images[0])?.record == "annotation id 5")
            #expect(failure(set.images[2])?.kind == .malformedFile && failure(set.images[2])?.record == "image id 3")
            let mask = try #require(try set.images[1].targets.get().mask)
            // Column-major runs 4, 4, 4; the huge triangle lies below the image (finite coordinates never trap).
            #expect(mask.values == [0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0] || kind == .instances)
            #expect(mask.planeCount == (kind == .instances ? 2 : 1))
        }
        #expect(failure(try COCOReader().read(folder.path("c.json"), imageDirectory: ".").images[2]) == nil)
    }

    @Test func cocoInstanceMasksLeaveCrowdOut() throws {
        let set = try COCOReader(masks: .instances).read(Self.coco, imageDirectory: "images")
        let mask = try #require(try set.images[0].targets.get().mask)
        #expect(mask.layout == .instances && mask.planeCount == 2)
        #expect(mask[6, 2, 1] == 1 && mask[6, 2, 0] == 0 && mask[1, 1, 0] == 1)
    }

    @Test func cocoMalformedRecordsAreTypedPerImage() throws {
        let set = try COCOReader(masks: .semantic).read(Self.coco, imageDirectory: "images")
        let errors = set.images.dropFirst().map(failure)
        #expect(errors.map { $0?.kind } == [.boxOutsideImage, .unknownCategory, .badSegmentation, .maskSizeMismatch])
        #expect(errors.map { $0?.record } == ["annotation id 21", "annotation id 31", "annotation id 41", "annotation id 51"])
        #expect(errors.allSatisfy { $0?.path == Self.coco })
        #expect(errors[0]?.description.contains("box-outside.png") == true)
    }

    @Test func cocoFileErrorsThrow() throws {
        let tree = try TemporaryDirectory()
        try tree.write("bad.json", "{\"images\": []}")
        let error = #expect(throws: AnnotationError.self) { try COCOReader().read(tree.path + "/bad.json", imageDirectory: ".") }
        #expect(error?.kind == .malformedFile)
        try tree.write("orphan.json", """
            {"images": [], "categories": [], "annotations": [{"id": 5, "image_id": 9, "category_id": 1}]}
            """)
        let orphan = #expect(throws: AnnotationError.self) { try COCOReader().read(tree.path + "/orphan.json", imageDirectory: ".") }
        #expect(orphan?.kind == .missingImage && orphan?.record == "annotation id 5")
    }

    @Test func vocBoxesAndBadFiles() throws {
        let set = try VOCReader().read(Self.folder + "/voc", imageDirectory: "JPEGImages")
        #expect(set.classNames == ["cat", "dog"])
        #expect(set.images.map(\.imagePath) == ["JPEGImages/a.jpg", "JPEGImages/b.jpg", "JPEGImages/c"])
        let boxes = try #require(try set.images[0].targets.get().boxes)
        #expect(boxes.format == .xyxy && boxes.coordinates == [1, 2, 5, 6, 4, 1, 10, 8] && boxes.labels == [1, 0])
        #expect(failure(set.images[1])?.kind == .boxOutsideImage && failure(set.images[1])?.record == "object 1")
        #expect(failure(set.images[2])?.kind == .malformedFile && failure(set.images[2])?.path.hasSuffix("c.xml") == true)
        let strict = try VOCReader(classNames: ["cat"], skipDifficult: true).read(Self.folder + "/voc", imageDirectory: ".")
        #expect(failure(strict.images[0])?.kind == .unknownCategory)
        let difficultOnly = try VOCReader(classNames: ["dog", "cat"], skipDifficult: true).read(Self.folder + "/voc", imageDirectory: ".")
        #expect(try difficultOnly.images[0].targets.get().boxes?.labels == [0])
    }

    @Test func yoloLabelsPerImage() throws {
        let set = try YOLOReader(classNames: ["cat", "dog"]).read(images: Self.folder + "/yolo/images",
                                                                   labels: Self.folder + "/yolo/labels")
        #expect(set.images.map { ($0.imagePath as NSString).lastPathComponent } == ["a.png", "b.png", "c.png", "d.png"])
        let boxes = try #require(try set.images[0].targets.get().boxes)
        #expect(boxes.format == .cxcywh && boxes.normalized && boxes.labels == [0, 1])
        #expect(boxes.coordinates == [0.5, 0.5, 0.2, 0.4, 0.25, 0.75, 0.5, 0.5])
        #expect(failure(set.images[1])?.kind == .boxOutsideImage && failure(set.images[1])?.record == "line 1")
        #expect(failure(set.images[2])?.kind == .malformedFile && failure(set.images[2])?.path.hasSuffix("c.txt") == true)
        #expect(try set.images[3].targets.get().boxes?.count == 0)
        let fewer = try YOLOReader(classNames: ["cat"]).read(images: Self.folder + "/yolo/images", labels: Self.folder + "/yolo/labels")
        #expect(failure(fewer.images[0])?.kind == .unknownCategory && failure(fewer.images[0])?.record == "line 2")
    }

    @Test func maskFolderPairsCheckSizes() throws {
        let tree = try TemporaryDirectory()
        let rgb = try Image(width: 3, height: 2, channels: 3, pixels: [UInt8](repeating: 9, count: 18))
        for name in ["a", "b", "c"] { try tree.write("images/\(name).png", bytes: Data(rgb.encoded(as: .png()))) }
        let good = try Image(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 3, 4, 255])
        try tree.write("masks/a.png", bytes: Data(good.encoded(as: .png())))
        let small = try Image(width: 2, height: 2, channels: 1, pixels: [0, 1, 2, 3])
        try tree.write("masks/b.png", bytes: Data(small.encoded(as: .png())))
        let pairs = try MaskFolderPairs(images: tree.path + "/images", masks: tree.path + "/masks")
        #expect(try pairs.targets(at: 0).mask?.values == [0, 1, 2, 3, 4, 255])
        let mismatch = #expect(throws: AnnotationError.self) { try pairs.targets(at: 1) }
        #expect(mismatch?.kind == .maskSizeMismatch && mismatch?.path.hasSuffix("masks/b.png") == true)
        let missing = #expect(throws: AnnotationError.self) { try pairs.targets(at: 2) }
        #expect(missing?.kind == .missingImage)
        let colour = try Image(width: 3, height: 2, channels: 3, pixels: [UInt8](repeating: 1, count: 18))
        try tree.write("masks/c.png", bytes: Data(colour.encoded(as: .png())))
        let coloured = try MaskFolderPairs(images: tree.path + "/images", masks: tree.path + "/masks")
        let malformed = #expect(throws: AnnotationError.self) { try coloured.targets(at: 2) }
        #expect(malformed?.kind == .malformedFile && malformed?.message.contains("one channel") == true)
    }

    @Test func sixteenBitMasksKeepTheirClasses() throws {
        let pairs = try MaskFolderPairs(images: Self.folder + "/mask-pairs/images", masks: Self.folder + "/mask-pairs/masks")
        #expect(try pairs.targets(at: 0).mask?.values == [0, 1, 300, 4000, 2, 65535])
    }
}
