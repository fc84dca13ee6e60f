import Testing
@testable import Tensors

@Suite struct TensorTests {
    @Test func rowMajorOffsets() {
        var t = Tensor(shape: [2, 3])
        t[[1, 2]] = 5
        #expect(t.scalars[5] == 5)
        #expect(t.offset(of: [1, 0]) == 3)
    }

    /// Copies share storage until one is written; the written one copies first.
    @Test func copiesAreValues() {
        var a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = a
        let c = a.reshaped([4])
        a[[0, 1]] = 9
        #expect(a.scalars == [1, 9, 3, 4])
        #expect(b.scalars == [1, 2, 3, 4] && c.scalars == [1, 2, 3, 4])
        var d = b
        d.withUnsafeMutableBufferPointer { $0[3] = -1 }
        #expect(d.scalars == [1, 2, 3, -1] && b.scalars == [1, 2, 3, 4])
    }

    /// Storage handed over by a producer becomes the tensor's elements without a copy, and a
    /// producer that keeps a reference sees the consumer's writes go to a copy.
    @Test func handedOverStorageIsNotCopied() {
        let storage = TensorStorage(count: 3)
        storage.withUnsafeMutableBufferPointer { $0[2] = 7 }
        var t = Tensor(shape: [3], storage: storage)
        let address = storage.withUnsafeBufferPointer { $0.baseAddress }
        #expect(t.withUnsafeBufferPointer { $0.baseAddress } == address)
        t[[0]] = 1
        #expect(t.withUnsafeBufferPointer { $0.baseAddress } != address)
        #expect(storage.withUnsafeBufferPointer { Array($0) } == [0, 0, 7] && t.scalars == [1, 0, 7])
    }

    @Test func equalityComparesShapesAndElements() {
        #expect(Tensor(shape: [2], scalars: [1, 2]) == Tensor(shape: [2], scalars: [1, 2]))
        #expect(Tensor(shape: [2], scalars: [1, 2]) != Tensor(shape: [1, 2], scalars: [1, 2]))
        #expect(Tensor(shape: [2], scalars: [1, 2]) != Tensor(shape: [2], scalars: [1, 3]))
        let nan = Tensor(shape: [1], scalars: [.nan])
        #expect(nan != nan)
    }
}

@Suite struct InMemoryBatchesTests {
    @Test func shufflesPerEpochAndCoversEverySample() {
        let x = Tensor(shape: [10, 1], scalars: (0..<10).map(Float.init))
        let source = InMemoryBatches(inputs: x, targets: x, batchSize: 4, shuffle: true, seed: 7)
        let epoch0 = Array(source.batches(epoch: 0)).flatMap(\.inputs.scalars)
        let epoch1 = Array(source.batches(epoch: 1)).flatMap(\.inputs.scalars)
        #expect(epoch0.sorted() == (0..<10).map(Float.init))
        #expect(epoch0 != epoch1)
        #expect(Array(source.batches(epoch: 0)).map(\.count) == [4, 4, 2])
        #expect(Array(source.batches(epoch: 0)).flatMap(\.inputs.scalars) == epoch0)
        let plain = InMemoryBatches(inputs: x, targets: x, batchSize: 4)
        #expect(Array(plain.batches(epoch: 3)).flatMap(\.targets.scalars) == (0..<10).map(Float.init))
    }
}
