import Foundation
import Testing
import TestSupport
@testable import Training

@Suite struct WeightsAndTransferTests {
    @Test func safetensorsRoundTrip() throws {
        let model = try Sequential(inputShape: [6, 6, 1], seed: 1, layers: [
            Conv2D(filters: 2, kernelSize: (3, 3)), BatchNormalization(), Flatten(), Dense(units: 3),
        ])
        let temporary = try TemporaryDirectory()
        let path = temporary.path("w.safetensors")
        try model.saveWeights(to: path)
        let names = try SafeTensors.read(from: path).keys.sorted()
        #expect(names == ["batch_normalization/beta", "batch_normalization/gamma", "batch_normalization/moving_mean",
                          "batch_normalization/moving_variance", "conv2d/bias", "conv2d/kernel", "dense/bias", "dense/kernel"])
        let other = try Sequential(inputShape: [6, 6, 1], seed: 2, layers: [
            Conv2D(filters: 2, kernelSize: (3, 3)), BatchNormalization(), Flatten(), Dense(units: 3),
        ])
        #expect(other.weightValues() != model.weightValues())
        try other.loadWeights(from: path)
        #expect(other.weightValues() == model.weightValues())
        // The header: 8-byte little-endian length, then JSON with F32 entries.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(length % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        #expect(header.contains("\"conv2d/kernel\":{\"data_offsets\":[0,72],\"dtype\":\"F32\",\"shape\":[3,3,1,2]}"))
    }

    @Test func loadRejectsMismatches() throws {
        let model = try Sequential(inputShape: [3], layers: [Dense(units: 2)])
        let temporary = try TemporaryDirectory()
        let path = temporary.path("w.safetensors")
        try SafeTensors.write([("dense/kernel", Tensor(shape: [2, 2]))], to: path)
        #expect(throws: TrainingError.self) { try model.loadWeights(from: path) }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(throws: TrainingError.self) { try model.loadWeights(from: path) }
        #expect(throws: TrainingError.self) { try model.loadWeights(from: path + ".missing") }
    }

    /// Base trained on classes {top, bottom}; a new head for {left, right}
    /// over the frozen base; then the top of the base fine-tuned at a lower rate.
    @Test func transferLearningFreezesThenFineTunes() throws {
        let source = Synthetic.halves(count: 64, seed: 1)
        let base = try Synthetic.model(seed: 3)
        base.compile(optimizer: try Adam(learningRate: 1e-2), loss: CategoricalCrossentropy(), metrics: [.automatic])
        try base.fit(x: source.x, y: source.y, batchSize: 16, epochs: 4, verbose: .silent)

        let features = Array(base.layers.prefix(4))            // conv, pool, flatten, dense(8)
        for layer in features { layer.trainable = false }
        let transfer = try Sequential(inputShape: [8, 8, 1], seed: 9, layers: features + [Dense(units: 2, activation: .softmax)])
        #expect(transfer.layers.last!.name == "dense_1")
        #expect(transfer.trainableParameterCount == 18)
        let frozenBefore = features[0].parameters.map { $0.value.array(count: $0.count) }

        let target = Synthetic.halves(count: 64, seed: 4, classes: [2, 3])
        transfer.compile(optimizer: try Adam(learningRate: 1e-2), loss: CategoricalCrossentropy(), metrics: [.automatic])
        try transfer.fit(x: target.x, y: target.y, batchSize: 16, epochs: 6, verbose: .silent)
        #expect(features[0].parameters.map { $0.value.array(count: $0.count) } == frozenBefore)

        let unfrozen = transfer.unfreezeTop(layersWithWeights: 1, within: 0..<4)
        #expect(unfrozen == ["dense"])
        transfer.compile(optimizer: try Adam(learningRate: 1e-3), loss: CategoricalCrossentropy(), metrics: [.automatic])
        let denseBefore = features[3].parameters[0].value.array(count: features[3].parameters[0].count)
        try transfer.fit(x: target.x, y: target.y, batchSize: 16, epochs: 4, verbose: .silent)
        #expect(features[3].parameters[0].value.array(count: features[3].parameters[0].count) != denseBefore)
        #expect(features[0].parameters.map { $0.value.array(count: $0.count) } == frozenBefore)
        let test = Synthetic.halves(count: 32, seed: 5, classes: [2, 3])
        #expect(try transfer.evaluate(x: test.x, y: test.y)["accuracy"]! >= 0.9)
    }
}
