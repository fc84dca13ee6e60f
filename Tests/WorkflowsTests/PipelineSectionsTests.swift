import Testing
import Augmentation
@testable import Workflows
import Training
import Yams
import Foundation

@Suite struct PipelineSectionsTests {
    func parse(_ yaml: String) throws(PipelineFileError) -> PipelineFile {
        try PipelineFileLoader.parse(yaml: "data:\n  directory: d\n" + yaml, file: "p.yaml")
    }

    func failure(_ yaml: String) -> PipelineFileError? {
        do { _ = try parse(yaml); return nil } catch { return error }
    }

    @Test func augmentationUsesKerasNames() throws {
        let file = try parse("""
            augmentation:
              rotation_range: 20
              horizontal_flip: true
              zoom_range: 0.2
              rescale: 0.00392156862745098
              geometry: keras
            """)
        #expect(file.augmentation.config.rotationRange == 20)
        #expect(file.augmentation.config.horizontalFlip)
        #expect(file.augmentation.geometry == .keras)
    }

    @Test func augmentationErrorsNameTheParameterAndLine() {
        let negative = failure("augmentation:\n  horizontal_flip: true\n  rotation_range: -5\n")
        #expect(negative?.key == "augmentation.rotation_range")
        #expect(negative?.line == 5)
        let unknown = failure("augmentation:\n  rotation: 5\n")
        #expect(unknown?.key == "augmentation.rotation")
        #expect(unknown?.line == 4)
    }

    @Test func modelLayersBuildTheCourseModel() throws {
        let file = try parse("""
            model:
              layers:
                - conv2d: {filters: 32, kernel_size: 3, activation: relu}
                - max_pooling2d: {pool_size: 2}
                - flatten
                - dense: {units: 10, activation: softmax}
            training:
              epochs: 3
              optimizer: {name: sgd, learning_rate: 0.05, momentum: 0.9}
              early_stopping: {patience: 2, restore_best_weights: true}
            """)
        let layers = try file.model!.makeLayers()
        #expect(layers.count == 4)
        #expect(file.training?.optimizer.name == "sgd")
        #expect(file.training?.optimizer.effectiveLearningRate == 0.05)
        #expect(file.training?.earlyStopping?.patience == 2)
        #expect(file.training?.reduceLROnPlateau == nil)
    }

    @Test func badLayersAreLocated() {
        let unknown = failure("model:\n  layers:\n    - dense: {units: 4}\n    - conv3d: {filters: 2}\n")
        #expect(unknown?.key == "model.layers[1].conv3d")
        #expect(unknown?.line == 6)
        #expect(unknown?.reason.contains("unknown layer 'conv3d'") == true)
        let missing = failure("model:\n  layers:\n    - conv2d: {filters: 2}\n")
        #expect(missing?.key == "model.layers[0]")
        #expect(missing?.reason == "'conv2d' needs 'kernel_size'")
        let stray = failure("model:\n  layers:\n    - dropout: {rate: 0.5, units: 3}\n")
        #expect(stray?.reason == "'dropout' takes no option 'units'")
        let invalid = failure("model:\n  layers:\n    - dropout: {rate: 1.5}\n")
        #expect(invalid?.key == "model.layers[0]")
    }

    /// Layers that name their `inputs` make a graph: a residual block in YAML.
    @Test func residualBlockInYAML() throws {
        let file = try parse("""
            model:
              layers:
                - conv2d: {name: stem, filters: 4, kernel_size: 3, padding: same, activation: relu}
                - conv2d: {filters: 4, kernel_size: 3, padding: same, activation: relu}
                - conv2d: {name: residual, filters: 4, kernel_size: 3, padding: same}
                - add: {inputs: [stem, residual]}
                - concatenate: {inputs: [add, input], axis: -1}
                - global_average_pooling2d
                - dense: {units: 3, activation: softmax}
            """)
        let section = try #require(file.model)
        #expect(section.isGraph)
        let model = try section.makeModel(inputShape: [8, 8, 2], seed: 1)
        #expect(!(model is Sequential))
        #expect(model.layers.map(\.name) == ["stem", "conv2d", "residual", "add", "concatenate", "global_average_pooling2d", "dense"])
        #expect(model.layers[4].outputShape == [8, 8, 6])
        #expect(try parse("model:\n  layers:\n    - flatten\n").model?.makeModel(inputShape: [2, 2, 1], seed: 0) is Sequential)
    }

    /// The newer layers under their Keras names: a MobileNet-style block with
    /// squeeze-and-excitation, and the shape and preprocessing layers.
    @Test func everyLayerKindBuildsFromYAML() throws {
        let file = try parse("""
            model:
              layers:
                - rescaling: {scale: 0.0078431373, offset: -1}
                - normalization: {mean: [0.5], variance: [0.25]}
                - zero_padding2d: {padding: [[0, 1], [0, 1]]}
                - conv2d: {name: stem, filters: 8, kernel_size: 3, strides: 2, padding: valid, use_bias: false}
                - batch_normalization
                - relu: {max_value: 6}
                - depthwise_conv2d: {name: dw, kernel_size: 3, padding: same, depth_multiplier: 2, activation: relu6}
                - global_average_pooling2d: {keepdims: true}
                - conv2d: {filters: 4, kernel_size: 1, activation: swish}
                - conv2d: {name: gate, filters: 16, kernel_size: 1, activation: hard_sigmoid}
                - multiply: {inputs: [dw, gate]}
                - separable_conv2d: {filters: 8, kernel_size: 3, padding: same, dilation_rate: 2, activation: gelu}
                - conv2d: {filters: 8, kernel_size: 3, padding: same, groups: 2}
                - conv2d_transpose: {filters: 4, kernel_size: 2, strides: 2}
                - up_sampling2d: {size: 2, interpolation: bilinear}
                - cropping2d: {cropping: [2, 1]}
                - spatial_dropout2d: {rate: 0.1}
                - permute: {dims: [2, 1, 3]}
                - identity
                - global_max_pooling2d
                - reshape: {target_shape: [2, 2]}
                - activation: {activation: elu, alpha: 0.5}
                - flatten
                - dense: {units: 3, activation: softmax}
            """)
        let model = try #require(file.model).makeModel(inputShape: [9, 9, 1], seed: 2)
        let shapes = Dictionary(uniqueKeysWithValues: model.layers.map { ($0.name, $0.outputShape) })
        #expect(shapes["zero_padding2d"] == [10, 10, 1])
        #expect(shapes["stem"] == [4, 4, 8])
        #expect(shapes["dw"] == [4, 4, 16])
        #expect(shapes["global_average_pooling2d"] == [1, 1, 16])
        #expect(shapes["multiply"] == [4, 4, 16])
        #expect(shapes["conv2d_transpose"] == [8, 8, 4])
        #expect(shapes["cropping2d"] == [12, 14, 4])
        #expect(shapes["permute"] == [14, 12, 4])
        #expect(model.outputShape == [3])
        let bad = failure("model:\n  layers:\n    - activation: {activation: swishy}\n")
        #expect(bad?.reason.contains("'swishy' is not one of") == true)
        #expect(failure("model:\n  layers:\n    - conv2d: {filters: 2, kernel_size: 1, padding: 2}\n")?.reason
                == "'conv2d' takes padding 'valid' or 'same', not margins")
        #expect(failure("model:\n  layers:\n    - zero_padding2d: {padding: [1, 2, 3]}\n")?.key == "model.layers[0].zero_padding2d.padding")
    }

    @Test func badGraphReferencesAreLocated() throws {
        let unknown = failure("model:\n  layers:\n    - conv2d: {filters: 2, kernel_size: 1}\n    - add: {inputs: [conv2d, stem]}\n")
        #expect(unknown?.key == "model.layers[1]")
        #expect(unknown?.line == 6)
        #expect(unknown?.reason.contains("input 'stem' is not an earlier layer's name") == true)
        let duplicate = failure("model:\n  layers:\n    - dense: {name: a, units: 2}\n    - dense: {name: a, units: 2}\n")
        #expect(duplicate?.reason.contains("already used") == true)
        // Shapes that do not fit name the node and both shapes.
        let file = try parse("model:\n  layers:\n    - conv2d: {filters: 2, kernel_size: 1}\n    - add: {inputs: [conv2d, input]}\n")
        #expect { _ = try file.model!.makeModel(inputShape: [4, 4, 3], seed: 0) } throws: { error in
            let text = "\(error)"
            return text.contains("add") && text.contains("[4, 4, 2]") && text.contains("[4, 4, 3]")
        }
    }

    @Test func trainingNeedsAModelAndValidValues() {
        #expect(failure("training:\n  epochs: 3\n")?.reason == "a 'training' section needs a 'model' section")
        let model = "model:\n  layers:\n    - flatten\n"
        #expect(failure(model + "training:\n  epochs: 0\n")?.key == "training.epochs")
        #expect(failure(model + "training:\n  optimizer: adamw\n")?.reason == "'adamw' is not one of: adam, sgd, rmsprop")
        #expect(failure(model + "training:\n  reduce_lr_on_plateau: {factor: 2}\n")?.key
                == "training.reduce_lr_on_plateau.factor")
        #expect(failure(model + "training:\n  loss: hinge\n")?.line == 7)
    }

    @Test func backupTakesKerasArgumentsAndDefaults() throws {
        let model = "model:\n  layers:\n    - flatten\n"
        #expect(try parse(model + "training:\n  epochs: 3\n").training?.backup == BackupSpec())
        let every = try parse(model + "training:\n  backup: {save_freq: 25, delete_checkpoint: false}\n").training?.backup
        #expect(every?.saveFrequency == .batches(25))
        #expect(every?.deleteCheckpoint == false)
        #expect(try parse(model + "training:\n  backup: {save_freq: epoch}\n").training?.backup.saveFrequency == .epoch)
        #expect(failure(model + "training:\n  backup: {save_freq: 0}\n")?.key == "training.backup.save_freq")
        #expect(failure(model + "training:\n  backup: {save_freq: weekly}\n")?.reason == "'weekly' is not one of: epoch")
        #expect(failure(model + "training:\n  backup: {every: 3}\n")?.key == "training.backup.every")
    }

    @Test func distributedTakesItsThreeKeys() throws {
        let model = "model:\n  layers:\n    - flatten\n"
        #expect(try parse(model + "training:\n  epochs: 3\n").training?.distributed == DistributedSpec())
        let set = try parse(model + "training:\n  distributed: {sync_batch_norm: true, overlap: true, bucket_kib: 64}\n")
            .training?.distributed
        #expect(set?.syncBatchNorm == true && set?.overlap == true && set?.bucketKiB == 64)
        #expect(failure(model + "training:\n  distributed: {bucket_kib: 0}\n")?.key == "training.distributed.bucket_kib")
        #expect(failure(model + "training:\n  distributed: {sync_bn: true}\n")?.key == "training.distributed.sync_bn")
        #expect(failure(model + "training:\n  distributed: {overlap: sometimes}\n")?.key == "training.distributed.overlap")
    }

    @Test func pipelineDifferencesNameTheirKeys() throws {
        let old = "data: {seed: 3, target_size: [28, 28]}\ntraining: {epochs: 4}\n"
        #expect(try PipelineDifference.keys(from: old, to: old).isEmpty)
        let new = "data: {seed: 3, target_size: [28, 32]}\ntraining: {epochs: 5, verbose: 2}\n"
        #expect(try PipelineDifference.keys(from: old, to: new)
                == ["data.target_size[1]: 28 → 32", "training.epochs: 4 → 5", "training.verbose: (absent) → 2"])
    }

    /// A checkpoint written before a key existed resumes: the stored file, read by today's
    /// parser, gains the key's default.
    @Test func aKeyAddedSinceTheCheckpointIsNoDifference() throws {
        let now = try YAMLEncoder().encode(try parse("model:\n  layers:\n    - flatten\ntraining:\n  epochs: 3\n"))
        var lines = now.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "distributed:" })
        let indent = lines[start].prefix { $0 == " " }.count
        let end = lines[(start + 1)...].firstIndex { $0.prefix { $0 == " " }.count <= indent } ?? lines.endIndex
        lines.removeSubrange(start..<end)
        let older = lines.joined(separator: "\n")
        #expect(try !PipelineDifference.keys(from: older, to: now).isEmpty)
        #expect(try PipelineDifference.keys(from: PipelineDifference.resolvedByThisVersion(older), to: now).isEmpty)
        #expect(PipelineDifference.resolvedByThisVersion("data: [") == "data: [")
    }
}
