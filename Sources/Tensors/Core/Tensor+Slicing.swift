extension Tensor {
    /// Elements per index of the first axis.
    public var sampleStride: Int { shape.dropFirst().reduce(1, *) }

    /// The rows `indices` of the first axis, in that order.
    /// - Complexity: O(indices.count × sampleStride).
    public func gathering(_ indices: [Int]) -> Tensor {
        let stride = sampleStride
        let out = TensorStorage(count: indices.count * stride)
        withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for (row, index) in indices.enumerated() {
                    precondition(index >= 0 && index < (shape.first ?? 0), "row \(index) out of range")
                    (target.baseAddress! + row * stride)
                        .update(from: source.baseAddress! + index * stride, count: stride)
                }
            }
        }
        return Tensor(shape: [indices.count] + shape.dropFirst(), storage: out)
    }

    /// The rows `range` of the first axis.
    public func slicing(_ range: Range<Int>) -> Tensor {
        let stride = sampleStride
        let values = scalars((range.lowerBound * stride)..<(range.upperBound * stride))
        return Tensor(shape: [range.count] + shape.dropFirst(), scalars: values)
    }
}
