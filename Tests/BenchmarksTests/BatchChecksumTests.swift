import Benchmarks
import Testing
import Tensors
@testable import DataPipeline

@Suite struct BatchChecksumTests {
    @Test func hashesInputsThenTargetsAsLittleEndianFloats() {
        let checksum = BatchChecksum()
        checksum.add(Batch(inputs: Tensor(shape: [1, 3], scalars: [1, 2, 0.5]), targets: Tensor(shape: [1, 2], scalars: [0, 1])))
        // hashlib.sha256(struct.pack('<3f', 1, 2, .5) + struct.pack('<2f', 0, 1)).hexdigest()
        #expect(checksum.hexDigest() == "24345cb01ae62b684324acd97e0f9f2c4127233217358e6a6e8c193dc8c86855")
    }

    @Test func emptyStreamIsTheEmptyDigest() {
        #expect(BatchChecksum().hexDigest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
