import Augmentation
import CPUBudget
import DataPipeline
import Foundation
import Testing
import TestSupport
import Training
import Yams
@testable import Workflows

/// `augmentation.batch_ops` and `training.label_smoothing` in pipeline files: the issue's
/// example, the round trip, errors naming file, line and key, and batch ops on training batches only.
@Suite struct BatchOpsPipelineFileTests {
    func parse(_ yaml: String, classMode: String = "categorical") throws(PipelineFileError) -> PipelineFile {
        try PipelineFileLoader.parse(
            yaml: "data:\n  directory: d\n  target_size: [224, 224]\n  class_mode: \(classMode)\n" + yaml, file: "p.yaml")
    }

    func failure(_ yaml: String, classMode: String = "categorical") -> PipelineFileError? {
        do { _ = try parse(yaml, classMode: classMode); return nil } catch { return error }
    }

    @Test func theBriefsExampleReadsAsMixUpAndCutMix() throws {
        let file = try parse("""
            augmentation:
              ops:
                - random_resized_crop: {size: 224}
                - horizontal_flip
              batch_ops: [{mixup: {alpha: 0.2, p: 1.0}}, {cutmix: {alpha: 1.0, p: 0.5}}]
            """)
        #expect(file.augmentation.batchOps == [.mixup(MixUp(alpha: 0.2, p: 1)), .cutmix(CutMix(alpha: 1, p: 0.5))])
        #expect(file.augmentation.ops?.count == 2)
        // With ImageDataGenerator arguments too, and the bare-name form (torchvision's defaults).
        let keras = try parse("augmentation:\n  rotation_range: 10\n  batch_ops:\n    - cutmix\n", classMode: "sparse")
        #expect(keras.augmentation.batchOps == [.cutmix(CutMix())])
        #expect(keras.augmentation.config.rotationRange == 10)
        #expect(try parse("augmentation:\n  rotation_range: 10\n").augmentation.batchOps == nil)
    }

    @Test func batchOpsRoundTripThroughTheRecordedPipeline() throws {
        for yaml in ["augmentation:\n  ops:\n    - horizontal_flip\n  batch_ops:\n    - mixup: {alpha: 0.4}\n",
                     "augmentation:\n  horizontal_flip: true\n  batch_ops:\n    - cutmix: {p: 0.25}\n    - mixup\n"] {
            let file = try parse(yaml)
            let again = try PipelineFileLoader.parse(yaml: try YAMLEncoder().encode(file), file: "again.yaml")
            #expect(again.augmentation == file.augmentation)
        }
    }

    /// Line numbers count the four `data` lines `parse` puts first.
    @Test func mistakesNameTheFileLineAndKey() {
        let unknown = failure("augmentation:\n  batch_ops:\n    - mixup\n    - fmix: {alpha: 1}\n")
        #expect(unknown?.key == "augmentation.batch_ops[1].fmix")
        #expect(unknown?.line == 8)
        #expect(unknown?.reason.contains("unknown batch op 'fmix' (expected one of: mixup, cutmix)") == true)
        let parameter = failure("augmentation:\n  batch_ops:\n    - cutmix: {alpha: 1, prob: 0.5}\n")
        #expect(parameter?.key == "augmentation.batch_ops[0].cutmix.prob")
        #expect(parameter?.line == 7)
        let alpha = failure("augmentation:\n  batch_ops:\n    - mixup: {alpha: 0}\n")
        #expect(alpha?.key == "augmentation.batch_ops[0].mixup.alpha")
        #expect(alpha?.reason.contains("must be positive") == true)
        let p = failure("augmentation:\n  batch_ops:\n    - mixup: {p: 1.5}\n")
        #expect(p?.key == "augmentation.batch_ops[0].mixup.p")
        let empty = failure("augmentation:\n  batch_ops: []\n")
        #expect(empty?.key == "augmentation.batch_ops")
        #expect(empty?.line == 6)
        #expect(failure("augmentation:\n  batch_ops: {mixup: {alpha: 1}}\n")?.key == "augmentation.batch_ops")
        #expect(failure("augmentation:\n  batch_ops: [mixup]\n")?.description == nil)
    }

    /// Soft labels need class probabilities: binary, raw, input and none pipelines are refused.
    @Test func classModesWithoutClassProbabilitiesAreRefused() {
        for mode in ["binary", "raw", "input", "none"] {
            let error = failure("augmentation:\n  batch_ops: [mixup]\n", classMode: mode)
            #expect(error?.key == "augmentation.batch_ops", "\(mode)")
            #expect(error?.line == 6, "\(mode)")
            #expect(error?.reason.contains("need class_mode categorical or sparse, not '\(mode)'") == true, "\(mode)")
        }
        #expect(failure("augmentation:\n  batch_ops: [mixup]\n", classMode: "sparse") == nil)
    }

    @Test func labelSmoothingIsForCategoricalCrossentropy() throws {
        let model = "model:\n  layers:\n    - flatten\n    - dense: {units: 3, activation: softmax}\n"
        let smooth = try parse(model + "training:\n  label_smoothing: 0.1\n")
        let loss = try #require(smooth.training?.makeLoss() as? CategoricalCrossentropy)
        #expect(loss.labelSmoothing == 0.1)
        let range = failure(model + "training:\n  label_smoothing: 1.5\n")
        #expect(range?.key == "training.label_smoothing")
        #expect(range?.line == 10)
        let sparse = failure(model + "training:\n  loss: sparse_categorical_crossentropy\n  label_smoothing: 0.1\n")
        #expect(sparse?.key == "training.label_smoothing")
        #expect(sparse?.reason.contains("needs loss categorical_crossentropy") == true)
    }

    /// The training loader mixes (one-hot encoding the sparse labels); the validation loader does not.
    @Test func onlyTrainingBatchesAreMixed() throws {
        let temporary = try TemporaryDirectory()
        try CommandRunner.digits("train", classes: ["0", "1", "7"], count: 4, into: temporary.url)
        let pipeline = try PipelineFileLoader.parse(yaml: """
            data:
              directory: \(temporary.url.path)
              target_size: [28, 28]
              color_mode: grayscale
              class_mode: sparse
              batch_size: 4
              validation_split: 0.25
              seed: 2
            augmentation:
              rescale: 0.00392156862745098
              batch_ops: [cutmix]
            """, file: "p.yaml")
        let data = try PipelineData(pipeline: pipeline,
                                    threads: ThreadPlan(budget: CPUBudget(processors: 2, affinity: nil, quota: nil), environment: [:], othersRunning: 0))
        #expect(data.trainingLoader.options.batchMixing?.classCount == 3)
        #expect(data.trainingLoader.options.batchMixing?.recipe.ops == [.cutmix(CutMix())])
        let validation = try #require(data.validationLoader)
        #expect(validation.options.batchMixing == nil)
        let trained = Array(data.trainingLoader.epoch(0))
        #expect(trained.allSatisfy { $0.targets.shape == [$0.count, 3] })
        #expect(Array(validation.epoch(0)).allSatisfy { $0.targets.shape == [$0.count] })
    }
}
