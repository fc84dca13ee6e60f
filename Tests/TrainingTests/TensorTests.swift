import Testing
@testable import Tensors

@Suite struct TensorTests {
    @Test func rowMajorOffsets() {
        var t = Tensor(shape: [2, 3])
        t[[1, 2]] = 5
        #expect(t.storage[5] == 5)
        #expect(t.offset(of: [1, 0]) == 3)
    }
}

@Suite struct InMemoryBatchesTests {
    @Test func shufflesPerEpochAndCoversEverySample() {
        let x = Tensor(shape: [10, 1], storage: (0..<10).map(Float.init))
        let source = InMemoryBatches(inputs: x, targets: x, batchSize: 4, shuffle: true, seed: 7)
        let epoch0 = Array(source.batches(epoch: 0)).flatMap(\.inputs.storage)
        let epoch1 = Array(source.batches(epoch: 1)).flatMap(\.inputs.storage)
        #expect(epoch0.sorted() == (0..<10).map(Float.init))
        #expect(epoch0 != epoch1)
        #expect(Array(source.batches(epoch: 0)).map(\.count) == [4, 4, 2])
        #expect(Array(source.batches(epoch: 0)).flatMap(\.inputs.storage) == epoch0)
        let plain = InMemoryBatches(inputs: x, targets: x, batchSize: 4)
        #expect(Array(plain.batches(epoch: 3)).flatMap(\.targets.storage) == (0..<10).map(Float.init))
    }
}
