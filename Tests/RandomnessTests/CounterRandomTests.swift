import Testing
import Randomness

/// The generator against the independent reference `scripts/counter_random_reference.py`,
/// whose printed values are pasted here, plus the statistical properties every caller relies on.
@Suite struct CounterRandomTests {
    static let random = CounterRandom([42, 7])

    @Test func followsTheDocumentedDerivation() {
        #expect(Self.random.key == 0xEA02_8A95_E08D_6A21)
        #expect((0..<3).map { Self.random.bits($0) }
            == [0x3CF7_A51D_EB6F_ECF7, 0xDD80_6373_AFA7_B1A2, 0x6613_9230_677C_E2EB])
        #expect((0..<3).map { Self.random.unit($0) }
            == [0.23815376263104293, 0.8652403027951141, 0.3987361305403172])
        #expect((0..<3).map { CounterRandom.uniform(key: Self.random.key, counter: $0) }
            == [0.23815375566482544, 0.8652402758598328, 0.3987361192703247])
        #expect((0..<10).map { Self.random.below($0, 10) } == [2, 8, 3, 9, 3, 6, 1, 3, 3, 5])
    }

    @Test func drawsAreUniformInTheirRanges() {
        let units = (0..<10_000).map { Self.random.unit(UInt64($0)) }
        #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(units.reduce(0, +) / Double(units.count) - 0.5) < 0.01)
        let values = (0..<10_000).map { Self.random.uniform(UInt64($0), -3, 5) }
        #expect(values.allSatisfy { $0 >= -3 && $0 < 5 })
        var counts = [Int](repeating: 0, count: 7)
        for c in 0..<7_000 { counts[Self.random.below(UInt64(c), 7)] += 1 }
        let chi = counts.reduce(0.0) { $0 + Double(($1 - 1_000) * ($1 - 1_000)) / 1_000 }
        #expect(chi < 16.81)  // χ² with 6 degrees of freedom at α = 0.01
    }

    @Test func streamsDependOnEveryPartAndItsPosition() {
        let keys = [[42, 7], [7, 42], [42, 8], [43, 7], [42, 7, 0], [42]].map(CounterRandom.key)
        #expect(Set(keys).count == keys.count)
        #expect(CounterRandom(key: Self.random.key) == Self.random)
    }

    @Test func permutationsAreCompleteAndVary() {
        let orders = (0..<20).map { CounterRandom([UInt64($0)]).permutation(count: 50) }
        #expect(orders.allSatisfy { $0.sorted() == Array(0..<50) })
        #expect(Set(orders).count == orders.count)
        #expect(CounterRandom([1]).permutation(count: 1) == [0])
        #expect(CounterRandom([1]).permutation(count: 0) == [])
    }
}
