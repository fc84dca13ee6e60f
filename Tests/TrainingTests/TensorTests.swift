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
