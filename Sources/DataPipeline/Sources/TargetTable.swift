/// Per-sample targets stored as one flat Float table: sample `i`'s target is
/// `values[i * rowCount ..< (i + 1) * rowCount]`, shaped `rowShape`.
///
/// `rowShape` is `[]` for a scalar target (sparse and binary labels, a single
/// raw column: the batch gets shape N) and `[K]` for a vector (one-hot,
/// multi-hot, several raw columns: the batch gets N×K).
public struct TargetTable: Sendable, Equatable {
    /// Shape of one sample's target.
    public let rowShape: [Int]
    /// `count * rowCount` values, sample after sample.
    public let values: [Float]

    /// Elements in one sample's target.
    public var rowCount: Int { rowShape.reduce(1, *) }

    /// Number of samples the table covers.
    public var count: Int { rowCount == 0 ? 0 : values.count / rowCount }

    public init(rowShape: [Int], values: [Float]) {
        precondition(rowShape.allSatisfy { $0 >= 0 }, "negative extent in \(rowShape)")
        self.rowShape = rowShape
        self.values = values
    }

    /// Encodes class indices for `.categorical`, `.binary` or `.sparse`.
    ///
    /// Each sample lists its classes: one index for single-label data, several
    /// for multi-label CSV rows (which `.categorical` turns into multi-hot rows).
    public static func encoding(classes: [[Int]], classCount: Int, mode: ClassMode) -> TargetTable {
        switch mode {
        case .categorical:
            var values = [Float](repeating: 0, count: classes.count * classCount)
            for (row, labels) in classes.enumerated() {
                for label in labels { values[row * classCount + label] = 1 }
            }
            return TargetTable(rowShape: [classCount], values: values)
        case .binary, .sparse:
            return TargetTable(rowShape: [], values: classes.map { Float($0.first ?? 0) })
        case .raw, .input, .none:
            return TargetTable(rowShape: [0], values: [])
        }
    }

    /// The rows of `indices`, in that order.
    public func selecting(_ indices: some Sequence<Int>) -> TargetTable {
        let width = rowCount
        var picked: [Float] = []
        for index in indices { picked += values[index * width ..< (index + 1) * width] }
        return TargetTable(rowShape: rowShape, values: picked)
    }
}
