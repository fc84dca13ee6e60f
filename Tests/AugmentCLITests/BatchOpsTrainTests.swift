import Foundation
import Testing
import TestSupport

/// `augment train` with MixUp and CutMix on a tiny folder of digits: sparse labels and the sparse
/// loss train on the soft targets, validation stays on plain labels, and the run's history does
/// not depend on the loader's worker count.
@Suite(.serialized) struct BatchOpsTrainTests {
    func pipeline(workers: Int) -> String {
        """
        data:
          directory: train
          target_size: [28, 28]
          color_mode: grayscale
          class_mode: sparse
          batch_size: 8
          validation_split: 0.25
          seed: 3
          workers: \(workers)
        augmentation:
          rescale: 0.00392156862745098
          batch_ops:
            - mixup: {alpha: 0.2}
            - cutmix: {alpha: 1.0, p: 0.5}
        model:
          layers:
            - conv2d: {filters: 4, kernel_size: 3, activation: relu}
            - max_pooling2d: {pool_size: 4}
            - flatten
            - dense: {units: 3, activation: softmax}
        training:
          epochs: 2
          loss: sparse_categorical_crossentropy
          threads: 1
        """
    }

    @Test func trainsWithMixUpAndCutMixOnSparseLabels() throws {
        var histories: [String] = []
        for workers in [1, 2] {
            let temporary = try TemporaryDirectory()
            let folder = temporary.url
            try CommandRunner.digits("train", classes: ["0", "1", "7"], count: 12, into: folder.appendingPathComponent("train"))
            let result = try CommandRunner.train(pipeline(workers: workers), in: folder)
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains("Epoch 2/2"))
            let history = try String(contentsOf: folder.appendingPathComponent("run/history.csv"), encoding: .utf8)
            let lines = history.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines.first?.contains("val_loss") == true)
            #expect(lines.dropFirst().allSatisfy { !$0.contains("nan") })
            histories.append(history)
        }
        #expect(histories[0] == histories[1])
    }
}
