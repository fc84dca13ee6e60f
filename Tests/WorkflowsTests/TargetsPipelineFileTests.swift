import Augmentation
import CPUBudget
import DataPipeline
import Foundation
import Imaging
import Testing
import TestSupport
import Yams
@testable import Workflows

/// `data.task`, `data.annotations` and `augmentation.targets`: parsed, round-tripped, turned
/// into loaders whose batches carry annotations, and every mistake located at its key.
@Suite struct TargetsPipelineFileTests {
    func parse(_ yaml: String) throws(PipelineFileError) -> PipelineFile {
        try PipelineFileLoader.parse(yaml: yaml, file: "p.yaml")
    }

    func failure(_ yaml: String) -> PipelineFileError? {
        do { _ = try parse(yaml); return nil } catch { return error }
    }

    static let detection = """
        data:
          directory: images
          target_size: [48, 56]
          task: detection
          annotations: {coco: instances.json}
        augmentation:
          ops:
            - random_resized_crop: {size: [48, 56], scale: [0.5, 1], ratio: [0.75, 1.25]}
            - horizontal_flip
          targets:
            box_format: xyxy
            normalized: true
            min_area: 9
            min_visibility: 0.25
            small_boxes: keep
            ignore_index: 254
            flip_pairs: [[0, 1]]
            one_hot_classes: 3
        """

    @Test func keysParseIntoTheLibrarysOptionsAndRoundTrip() throws {
        let file = try parse(Self.detection)
        #expect(file.data.task == .detection && file.data.annotations == AnnotationsSpec(format: .coco, path: "instances.json"))
        let targets = try #require(file.augmentation.targets)
        #expect(targets.options == TargetOptions(boxFilter: BoxFilter(minArea: 9, minVisibility: 0.25, policy: .keep),
                                                 ignoreIndex: 254, flipPairs: [Keypoints.FlipPair(0, 1)],
                                                 boxFormat: .xyxy, normalizedBoxes: true))
        #expect(targets.collator.oneHotClasses == 3)
        let yaml = try YAMLEncoder().encode(file)
        let again = try parse(yaml)
        #expect(again.augmentation == file.augmentation && again.data == file.data, "\(yaml)")
    }

    @Test(arguments: [
        ("data:\n  directory: d\n  task: detection\n", "data.task", "needs data.annotations"),
        ("data:\n  directory: d\n  task: boxes\n", "data.task", "not one of"),
        ("data:\n  directory: d\n  annotations: {coco: a.json}\n", "data.annotations", "need a task"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {coco: a.json, voc: v}\n", "data.annotations", "exactly one"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {labelme: a}\n", "data.annotations.labelme", "unknown key"),
        ("data:\n  directory: d\n  task: segmentation\n  annotations: {voc: v}\n", "data.annotations", "holds no segmentation"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {yolo: labels}\n", "data.annotations", "data.classes"),
        ("data:\n  csv: l.csv\n  task: detection\n  annotations: {coco: a.json}\n", "data.csv", "data.directory"),
        ("data:\n  directory: d\naugmentation:\n  targets: {min_area: 4}\n", "augmentation.targets", "need data.task"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {coco: a.json}\naugmentation:\n  geometry: keras\n",
         "augmentation.geometry", "use geometry: exact"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {coco: a.json}\naugmentation:\n  targets: {box_format: xxyy}\n",
         "augmentation.targets.box_format", "not one of"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {coco: a.json}\naugmentation:\n  targets: {min_visibility: 2}\n",
         "augmentation.targets.min_visibility", "[0, 1]"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {coco: a.json}\naugmentation:\n  targets: {flip_pairs: [[1]]}\n",
         "augmentation.targets.flip_pairs", "[[left, right]"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {coco: a.json}\naugmentation:\n  targets: {mosaic: 1}\n",
         "augmentation.targets.mosaic", "unknown key"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {coco: a.json}\naugmentation:\n  ops: [horizontal_flip]\n  batch_ops: [mixup]\n",
         "augmentation.batch_ops", "mixup blend whole images and their class labels: they cannot carry the detection targets"),
        ("data:\n  directory: d\n  task: detection\n  annotations: {coco: a.json}\naugmentation:\n  ops: [horizontal_flip, aug_mix]\n",
         "augmentation.ops[1]", "aug_mix blends chains of different geometry"),
    ])
    func mistakesNameTheFileLineAndKey(_ yaml: String, _ key: String, _ reason: String) throws {
        let error = try #require(failure(yaml))
        #expect(error.file == "p.yaml" && error.line != nil)
        #expect(error.key == key, "\(error)")
        #expect(error.description.contains(reason), "\(error)")
    }

    @Test func trainingADetectionTaskIsRefusedWithTheReason() throws {
        let error = try #require(failure(Self.detection + """

            model:
              layers: [flatten, {dense: {units: 2, activation: softmax}}]
            training: {epochs: 1}
            """))
        #expect(error.key == "training" && error.reason.contains("augment train builds classifiers only"), "\(error)")
    }

    @Test func pipelineDataLoadsAnnotatedBatchesWithTheTargetsOptions() throws {
        let folder = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.path("images"), withIntermediateDirectories: true)
        var pixels = [UInt8](repeating: 0, count: 40 * 30 * 3)
        for y in 5..<20 { for x in 10..<30 { pixels[(y * 40 + x) * 3] = 200 } }
        for name in ["a.png", "b.png", "c.png"] {
            try Imaging.Image(width: 40, height: 30, channels: 3, pixels: pixels).write(to: folder.path("images/" + name), as: .png())
        }
        let coco = """
            {"images": [{"id": 1, "file_name": "a.png", "width": 40, "height": 30},
                        {"id": 2, "file_name": "b.png", "width": 40, "height": 30},
                        {"id": 3, "file_name": "c.png", "width": 40, "height": 30}],
             "annotations": [{"id": 1, "image_id": 1, "category_id": 4, "bbox": [10, 5, 20, 15],
                              "segmentation": [[10, 5, 30, 5, 30, 20, 10, 20]]},
                             {"id": 2, "image_id": 2, "category_id": 4, "bbox": [10, 5, 20, 15],
                              "segmentation": [[10, 5, 30, 5, 30, 20, 10, 20]]}],
             "categories": [{"id": 4, "name": "box"}]}
            """
        try folder.write("instances.json", coco)
        try folder.write("p.yaml", """
            data:
              directory: images
              target_size: [30, 40]
              task: segmentation
              annotations: {coco: instances.json}
              batch_size: 3
              shuffle: false
            augmentation:
              ops: [horizontal_flip: {p: 1}]
              targets: {box_format: xyxy, one_hot_classes: 2}
            """)
        let pipeline = try PipelineFileLoader.load(path: folder.path("p.yaml"))
        let data = try PipelineData(pipeline: pipeline, threads: ThreadPlan(budget: CPUBudget(processors: 2, affinity: nil, quota: nil), environment: [:], othersRunning: 0))
        let batch = try #require(try data.trainingLoader.epoch(0).nextBatch())
        let annotations = try #require(batch.annotations)
        #expect(annotations.masks?.shape == [3, 30, 40, 2])
        #expect(annotations.boxes?.counts == [1, 1, 0])
        #expect(annotations.boxes?.boxes(ofSample: 0).coordinates.map { $0 } == [10, 5, 30, 20])   // mirrored: 40 - 30 = 10
        #expect(data.classNames == ["box"])
    }
}
