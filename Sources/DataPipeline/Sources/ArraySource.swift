/// In-memory images (N×H×W×C, UInt8 or Float) with optional targets and
/// sample weights: Keras's `flow(x, y, sample_weight)`.
///
/// Split semantics follow Keras's `NumpyArrayIterator`: the validation subset
/// is the first `Int(n * split)` samples, the training subset the rest, and
/// when targets are given both parts must contain the same set of target
/// values (else an error suggests shuffling; `ignoreClassSplit` turns the
/// check off). Unlike Keras, which forgets to cut `sample_weight` and so
/// pairs training samples with the wrong weights, the weights are cut with
/// the images.
///
/// ```swift
/// let labels = TargetTable.encoding(classes: [[0], [1]], classCount: 2, mode: .categorical)
/// let source = try ArraySource(pixels: .uint8(bytes), shape: [2, 32, 32, 3], targets: labels)
/// ```
public struct ArraySource: SampleSource {
    /// Pixel storage, N×H×W×C, last axis fastest.
    public enum Pixels: Sendable, Equatable {
        case uint8([UInt8])
        case float([Float])

        var count: Int {
            switch self {
            case .uint8(let values): values.count
            case .float(let values): values.count
            }
        }

        func slice(_ range: Range<Int>) -> Pixels {
            switch self {
            case .uint8(let values): .uint8(Array(values[range]))
            case .float(let values): .float(Array(values[range]))
            }
        }
    }

    public let pixels: Pixels
    public let count: Int
    public let height: Int
    public let width: Int
    public let channels: Int
    public let classMode: ClassMode
    public let targets: TargetTable
    public let sampleWeights: [Float]?

    /// Elements of one image.
    public var sampleSize: Int { height * width * channels }

    /// - Parameters:
    ///   - pixels: N·H·W·C values.
    ///   - shape: `[N, H, W, C]` with C in 1...4.
    ///   - targets: one row per image, batched as given (`.raw`); nil for none.
    ///   - classMode: `.raw` (default when targets are given), `.input` or `.none`.
    ///   - sampleWeights: one weight per image.
    ///   - validationSplit: fraction in [0, 1) reserved for validation: the
    ///     first `Int(n * split)` images, as Keras's `NumpyArrayIterator` takes.
    ///   - subset: the part to keep; nil keeps every image.
    ///   - ignoreClassSplit: skip the check that both parts hold the same set of
    ///     target values (Keras's `ignore_class_split`).
    /// - Throws: `DataPipelineError.invalidArgument` naming the mismatch.
    public init(pixels: Pixels, shape: [Int], targets: TargetTable? = nil, classMode: ClassMode? = nil,
                sampleWeights: [Float]? = nil, validationSplit: Double = 0, subset: Subset? = nil,
                ignoreClassSplit: Bool = false) throws(DataPipelineError) {
        guard shape.count == 4, shape.allSatisfy({ $0 >= 0 }), (1...4).contains(shape[3]) else {
            throw DataPipelineError(.invalidArgument, message: "array shape \(shape) is not N×H×W×C with C in 1...4")
        }
        let (n, sampleSize) = (shape[0], shape[1] * shape[2] * shape[3])
        guard pixels.count == n * sampleSize else {
            throw DataPipelineError(.invalidArgument,
                                    message: "\(pixels.count) pixel values do not fill shape \(shape)")
        }
        let mode = classMode ?? (targets == nil ? ClassMode.none : .raw)
        guard [.raw, .input, .none].contains(mode), (mode == .raw) == (targets != nil) else {
            throw DataPipelineError(.invalidArgument,
                                    message: "class mode \(mode.rawValue) does not fit arrays (targets given: \(targets != nil))")
        }
        if let targets, targets.count != n || targets.values.count != n * targets.rowCount {
            throw DataPipelineError(.invalidArgument,
                                    message: "\(targets.count) target rows for \(n) images")
        }
        if let sampleWeights, sampleWeights.count != n {
            throw DataPipelineError(.invalidArgument,
                                    message: "\(sampleWeights.count) sample weights for \(n) images")
        }
        let split = try ValidationSplit(validationSplit)
        let kept = split.range(of: subset, count: n)
        if subset != nil, let targets, !ignoreClassSplit {
            try Self.checkClassSplit(targets, cut: split.range(of: .validation, count: n).upperBound)
        }
        self.pixels = pixels.slice(kept.lowerBound * sampleSize ..< kept.upperBound * sampleSize)
        self.count = kept.count
        (self.height, self.width, self.channels) = (shape[1], shape[2], shape[3])
        self.classMode = mode
        self.targets = targets?.selecting(kept) ?? TargetTable(rowShape: [0], values: [])
        self.sampleWeights = sampleWeights.map { Array($0[kept]) }
    }

    /// Keras's check that both sides of the cut hold the same set of target values.
    private static func checkClassSplit(_ targets: TargetTable, cut: Int) throws(DataPipelineError) {
        let boundary = cut * targets.rowCount
        let validation = Set(targets.values[..<boundary])
        let training = Set(targets.values[boundary...])
        guard validation == training else {
            throw DataPipelineError(.invalidArgument,
                                    message: "training and validation subsets have different classes after the split "
                                        + "(validation \(validation.sorted()), training \(training.sorted())); "
                                        + "if the arrays are sorted by label, shuffle them, or pass ignoreClassSplit")
        }
    }
}
