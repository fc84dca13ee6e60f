import Testing
import Randomness

@Suite struct EpochOrderTests {
    /// Golden orders from `scripts/counter_random_reference.py`.
    @Test func followsTheDocumentedDerivation() {
        #expect(EpochOrder.permutation(count: 10, seed: 42, epoch: 0, shuffle: true) == [0, 3, 1, 7, 8, 2, 9, 6, 4, 5])
        #expect(EpochOrder.permutation(count: 10, seed: 42, epoch: 1, shuffle: true) == [5, 8, 7, 4, 0, 1, 9, 2, 3, 6])
        #expect(EpochOrder.permutation(count: 10, seed: 7, epoch: 0, shuffle: true) == [6, 0, 1, 4, 2, 8, 5, 3, 7, 9])
        #expect(EpochOrder.permutation(count: 4, seed: 7, epoch: 0, shuffle: false) == [0, 1, 2, 3])
    }
}
