import Testing
@testable import DataPipeline

@Suite struct ArraySourceTests {
    /// Ten 1×1×1 images whose value is their index; labels alternate 0, 1.
    func source(split: Double = 0, subset: Subset? = nil, labels: [Float]? = nil,
                ignoreClassSplit: Bool = false) throws -> ArraySource {
        let targets = TargetTable(rowShape: [], values: labels ?? (0..<10).map { Float($0 % 2) })
        return try ArraySource(pixels: .uint8((0..<10).map(UInt8.init)), shape: [10, 1, 1, 1], targets: targets,
                               sampleWeights: (0..<10).map { Float($0) / 10 }, validationSplit: split, subset: subset,
                               ignoreClassSplit: ignoreClassSplit)
    }

    @Test func validationIsTheFirstFraction() throws {
        let validation = try source(split: 0.25, subset: .validation)
        #expect(validation.count == 2)  // Int(10 * 0.25)
        #expect(validation.pixels == .uint8([0, 1]))
        #expect(validation.targets.values == [0, 1])
        #expect(validation.sampleWeights == [0, 0.1])
        let training = try source(split: 0.25, subset: .training)
        #expect(training.count == 8)
        #expect(training.pixels == .uint8((2..<10).map(UInt8.init)))
        #expect(training.sampleWeights == (2..<10).map { Float($0) / 10 })
        #expect(training.classMode == .raw)
        #expect(try source(split: 0.25).count == 10)
    }

    @Test func splitsWithDifferentClassesAreRefusedUnlessIgnored() throws {
        let sorted: [Float] = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
        #expect(throws: DataPipelineError.self) { try source(split: 0.3, subset: .training, labels: sorted) }
        #expect(try source(split: 0.3, subset: .training, labels: sorted, ignoreClassSplit: true).count == 7)
        #expect(try source(split: 0.3, labels: sorted).count == 10)
    }

    @Test func inconsistentShapesAreErrors() {
        #expect(throws: DataPipelineError.self) {
            try ArraySource(pixels: .float([0, 1, 2]), shape: [2, 1, 1, 1])
        }
        #expect(throws: DataPipelineError.self) {
            try ArraySource(pixels: .float([0, 1]), shape: [2, 1, 1, 5])
        }
        #expect(throws: DataPipelineError.self) {
            try ArraySource(pixels: .float([0, 1]), shape: [2, 1, 1, 1], targets: TargetTable(rowShape: [], values: [1]))
        }
        #expect(throws: DataPipelineError.self) {
            try ArraySource(pixels: .float([0, 1]), shape: [2, 1, 1, 1], sampleWeights: [1])
        }
        #expect(throws: DataPipelineError.self) {
            try ArraySource(pixels: .float([0, 1]), shape: [2, 1, 1, 1], classMode: .categorical)
        }
    }
}
